// A root filesystem directory walked as one layer: lstat only (links are recorded, never
// followed), pseudo filesystems are not entered, and files that vanish or cannot be read
// mid-walk become warnings rather than errors.
#include <dirent.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "common/log.h"
#include "scanner/image_source.h"
#include "scanner/layer_reader.h"

namespace cguard::scanner {
namespace {

constexpr size_t kMaxDepth = 256;
constexpr size_t kWarningCap = 50;

bool is_pseudo_filesystem(int fd) {
    struct statfs fs {};
    if (::fstatfs(fd, &fs) != 0) {
        return false;
    }
    switch (static_cast<unsigned long>(fs.f_type)) {
        case PROC_SUPER_MAGIC:
        case SYSFS_MAGIC:
        case DEVPTS_SUPER_MAGIC:
        case CGROUP_SUPER_MAGIC:
        case CGROUP2_SUPER_MAGIC:
        case DEBUGFS_MAGIC:
        case TRACEFS_MAGIC:
        case SECURITYFS_MAGIC:
        case PSTOREFS_MAGIC:
        case BPF_FS_MAGIC:
        case 0x19800202:  // mqueue
        case HUGETLBFS_MAGIC:
        case BINFMTFS_MAGIC:
        case EFIVARFS_MAGIC:
        case SELINUX_MAGIC:
        case NSFS_MAGIC:
        case 0x62656570:  // configfs
        case 0x65735543:  // fusectl
        case 0x0187:      // autofs
            return true;
        default: return false;
    }
}

// Content of one file, opened on first read. Failures end the file early with a warning:
// a live filesystem changes under us and that must not abandon the whole walk.
class FileContent : public detail::ContentReader {
public:
    FileContent(int dir_fd, const char* name, const std::string& path, uint64_t size,
                std::vector<std::string>& warnings, uint64_t& bytes)
        : dir_fd_(dir_fd),
          name_(name),
          path_(path),
          left_(size),
          warnings_(warnings),
          bytes_(bytes) {}
    ~FileContent() override {
        if (fd_ >= 0) {
            ::close(fd_);
        }
    }

    Result<size_t> read(void* buf, size_t size) override {
        if (left_ == 0 || failed_) {
            return size_t{0};
        }
        if (fd_ < 0) {
            fd_ = ::openat(dir_fd_, name_, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
            if (fd_ < 0) {
                return fail("open");
            }
        }
        ssize_t got;
        do {
            got = ::read(fd_, buf, std::min<uint64_t>(size, left_));
        } while (got < 0 && errno == EINTR);
        if (got < 0) {
            return fail("read");
        }
        left_ = got == 0 ? 0 : left_ - static_cast<uint64_t>(got);
        bytes_ += static_cast<uint64_t>(got);
        return static_cast<size_t>(got);
    }

private:
    size_t fail(const char* what) {
        failed_ = true;
        log::warn_limited("scan.file_unreadable", {{"path", path_}, {"errno", errno}});
        if (warnings_.size() < kWarningCap) {
            warnings_.push_back(std::string("cannot ") + what + " '" + path_ +
                                "': " + std::strerror(errno));
        }
        return 0;
    }

    int dir_fd_;
    const char* name_;
    const std::string& path_;
    uint64_t left_;
    std::vector<std::string>& warnings_;
    uint64_t& bytes_;
    int fd_ = -1;
    bool failed_ = false;
};

struct Walk {
    EntryVisitor& visitor;
    std::vector<std::string>& warnings;
    ProgressMeter* progress;
    uint64_t bytes = 0;
    size_t entries = 0;

    void warn(const std::string& path, const char* what) {
        log::warn_limited("scan.file_unreadable", {{"path", path}, {"errno", errno}});
        if (warnings.size() < kWarningCap) {
            warnings.push_back(std::string(what) + " '" + path + "': " + std::strerror(errno));
        }
    }

    std::vector<std::string> list(int dir_fd, const std::string& path) {
        std::vector<std::string> names;
        int copy = ::dup(dir_fd);
        DIR* dir = copy >= 0 ? ::fdopendir(copy) : nullptr;
        if (dir == nullptr) {
            warn(path, "cannot list");
            if (copy >= 0) {
                ::close(copy);
            }
            return names;
        }
        while (struct dirent* e = ::readdir(dir)) {
            if (std::strcmp(e->d_name, ".") != 0 && std::strcmp(e->d_name, "..") != 0) {
                names.emplace_back(e->d_name);
            }
        }
        ::closedir(dir);
        std::sort(names.begin(), names.end());
        return names;
    }

    Result<void> directory(int dir_fd, const std::string& prefix, dev_t dev, size_t depth);
    Result<void> entry(int dir_fd, const std::string& name, const std::string& path, dev_t dev,
                       size_t depth);
};

Result<void> Walk::entry(int dir_fd, const std::string& name, const std::string& path, dev_t dev,
                         size_t depth) {
    struct stat st {};
    if (::fstatat(dir_fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
        warn(path, "vanished");
        return {};
    }
    detail::EntryHeader header;
    header.path = path;
    header.mode = st.st_mode & 07777;
    if (S_ISREG(st.st_mode)) {
        header.type = detail::EntryType::Regular;
        header.size = static_cast<uint64_t>(st.st_size);
    } else if (S_ISDIR(st.st_mode)) {
        header.type = detail::EntryType::Directory;
    } else if (S_ISLNK(st.st_mode)) {
        header.type = detail::EntryType::Symlink;
        std::string target(static_cast<size_t>(std::max<off_t>(st.st_size, 255)) + 1, '\0');
        ssize_t n = ::readlinkat(dir_fd, name.c_str(), target.data(), target.size());
        header.link_target = n > 0 ? target.substr(0, static_cast<size_t>(n)) : "";
    } else {
        header.type = detail::EntryType::Other;
    }
    FileContent content(dir_fd, name.c_str(), header.path, header.size, warnings, bytes);
    if (auto ok = visitor.on_entry(header, content); !ok) {
        return ok;
    }
    ++entries;
    if (progress != nullptr) {
        progress->update(bytes, 0);
    }
    if (header.type != detail::EntryType::Directory || depth >= kMaxDepth) {
        return {};
    }
    int child = ::openat(dir_fd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (child < 0) {
        warn(path, "cannot open directory");
        return {};
    }
    Result<void> done;
    if (st.st_dev == dev || !is_pseudo_filesystem(child)) {
        done = directory(child, path + "/", st.st_dev, depth + 1);
    }
    ::close(child);
    return done;
}

Result<void> Walk::directory(int dir_fd, const std::string& prefix, dev_t dev, size_t depth) {
    for (const auto& name : list(dir_fd, prefix.empty() ? "/" : prefix)) {
        if (auto ok = entry(dir_fd, name, prefix + name, dev, depth); !ok) {
            return ok;
        }
    }
    return {};
}

}  // namespace

Result<ImageLayers> read_rootfs(const std::string& dir, SourceContext& context) {
    int root = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (root < 0) {
        return make_error(errno == ENOENT ? ErrorCode::NotFound : ErrorCode::Io,
                          dir + ": " + std::strerror(errno));
    }
    struct stat st {};
    ::fstat(root, &st);
    LayerAnalysis analysis(context.layer_options());
    std::vector<std::string> warnings;
    Walk walk{analysis, warnings, context.progress};
    auto done = walk.directory(root, "", st.st_dev, 1);
    ::close(root);
    if (!done) {
        return forward_error(done.error(), dir);
    }
    ImageLayers image;
    image.layers.push_back(analysis.take());
    LayerResult& layer = image.layers.back();
    layer.raw_bytes = walk.bytes;
    layer.warnings.insert(layer.warnings.begin(), warnings.begin(), warnings.end());
    log::event(log::Level::Debug, "scan.layer_done",
               {{"digest", ""}, {"files", walk.entries}, {"bytes", walk.bytes}});
    return image;
}

}  // namespace cguard::scanner
