#include <algorithm>
#include <string>

#include "common/log.h"
#include "vulndb/detail/ecosystem.h"
#include "vulndb/detail/feed.h"
#include "vulndb/detail/importer.h"
#include "vulndb/detail/ranges.h"

namespace cguard::vulndb::detail {
namespace {

constexpr size_t kMaxDetailsBytes = 4096;
constexpr size_t kMaxReferences = 32;

bool is_cve(std::string_view id) {
    return id.substr(0, 4) == "CVE-";
}

// Red Hat style advisories (ALSA, RLSA, RHSA) rate themselves in the summary: "Important: ...".
Severity severity_from_summary(std::string_view summary) {
    static const std::pair<std::string_view, Severity> kPrefixes[] = {
        {"Critical:", Severity::Critical},
        {"Important:", Severity::High},
        {"Moderate:", Severity::Medium},
        {"Low:", Severity::Low}};
    for (const auto& [prefix, severity] : kPrefixes) {
        if (summary.substr(0, prefix.size()) == prefix) {
            return severity;
        }
    }
    return Severity::Unknown;
}

Severity severity_from_text(std::string_view text) {
    Severity s = Severity::Unknown;
    if (text == "Important" || text == "important") {
        return Severity::High;
    }
    parse_severity(text, s);
    return s;
}

void bind_text_or_null(Statement& stmt, int index, const std::string& text) {
    if (text.empty()) {
        stmt.bind_null(index);
    } else {
        stmt.bind(index, text);
    }
}

}  // namespace

Result<Importer> Importer::create(Connection& db, const BuildOptions& options) {
    Importer importer(db, options);
    auto advisory = db.prepare(
        "INSERT INTO advisory(osv_id, feed, summary, details, severity, cvss_score, cvss_vector,"
        " aliases, refs, published, modified, kev) VALUES(?,?,?,?,?,?,?,?,?,?,?,?)");
    auto affected = db.prepare(
        "INSERT INTO affected(advisory, ecosystem, raw_ecosystem, package, ranges, versions)"
        " VALUES(?,?,?,?,?,?)");
    auto cve = db.prepare(
        "INSERT OR REPLACE INTO cve(id, cvss_score, cvss_vector, severity, cwe, description)"
        " VALUES(?,?,?,?,?,?)");
    auto kev = db.prepare("INSERT OR IGNORE INTO kev(cve) VALUES(?)");
    for (auto* stmt : {&advisory, &affected, &cve, &kev}) {
        if (!*stmt) {
            return forward_error(stmt->error());
        }
    }
    importer.insert_advisory_ = std::move(*advisory);
    importer.insert_affected_ = std::move(*affected);
    importer.insert_cve_ = std::move(*cve);
    importer.insert_kev_ = std::move(*kev);
    return importer;
}

Result<void> Importer::import_kev(const std::string& source, BuildSummary& summary) {
    auto file = open_feed(source);
    if (!file) {
        return forward_error(file.error());
    }
    auto text = read_whole(*file);
    if (!text) {
        return forward_error(text.error());
    }
    auto ids = parse_kev_catalog(*text);
    if (!ids) {
        return forward_error(ids.error(), source);
    }
    for (const auto& id : *ids) {
        insert_kev_.reset();
        insert_kev_.bind(1, id);
        if (auto r = insert_kev_.step(); !r) {
            return forward_error(r.error());
        }
    }
    kev_ = std::move(*ids);
    summary.kev_entries = kev_.size();
    return {};
}

Result<void> Importer::import_cve(const std::string& source, BuildSummary& summary) {
    auto file = open_feed(source);
    if (!file) {
        return forward_error(file.error());
    }
    Result<void> failed;
    auto on_member = [&](std::string_view name, std::string_view content, bool too_large) {
        auto info = too_large ? Result<CveInfo>(make_error(ErrorCode::LimitExceeded, "too large"))
                              : parse_cve_record(content);
        if (!info || info->rejected) {
            ++summary.skipped[!info ? "cve_unparsable" : "cve_rejected"];
            return true;
        }
        Statement& s = insert_cve_;
        s.reset();
        s.bind(1, info->id);
        info->cvss_score >= 0 ? s.bind(2, info->cvss_score) : s.bind_null(2);
        bind_text_or_null(s, 3, info->cvss_vector);
        s.bind(4, static_cast<int64_t>(info->severity));
        bind_text_or_null(s, 5, info->cwe);
        bind_text_or_null(s, 6, info->description);
        if (auto r = s.step(); !r) {
            failed = forward_error(r.error());
            return false;
        }
        cves_[info->id] = Enrichment{info->cvss_score, info->cvss_vector, info->severity};
        if (++summary.cve_records % 4096 == 0 && options_->on_progress) {
            options_->on_progress("cve", summary.cve_records, 0);
        }
        return true;
    };
    if (auto r = for_each_zip_member(*file, on_member); !r) {
        return r;
    }
    return failed;
}

Result<void> Importer::import_osv(const std::string& feed, const std::string& source,
                                  BuildSummary& summary) {
    auto file = open_feed(source);
    if (!file) {
        return forward_error(file.error());
    }
    uint64_t done = 0;
    auto on_member = [&](std::string_view name, std::string_view content, bool too_large) {
        if (++done % 1024 == 0 && options_->on_progress) {
            options_->on_progress(feed, done, 0);
        }
        if (name.size() < 5 || name.substr(name.size() - 5) != ".json") {
            return true;  // mirrors may carry an index or a LICENSE beside the records
        }
        auto record = too_large ? Result<OsvRecord>(make_error(ErrorCode::LimitExceeded, ""))
                                : parse_osv_record(content);
        if (!record) {
            ++summary.skipped[too_large ? "too_large" : "unparsable"];
            log::warn_limited("vulndb.record_skipped",
                              {{"feed", feed}, {"member", name}, {"reason", "unparsable"}});
            return true;
        }
        add_record(feed, std::move(*record), summary);
        return true;
    };
    return for_each_zip_member(*file, on_member);
}

bool Importer::usable_affected(OsvAffected& affected, std::string& key,
                               BuildSummary& summary) const {
    auto eco = ecosystem_key(affected.ecosystem);
    if (!eco || affected.name.empty()) {
        ++summary.skipped[!eco ? "unknown_ecosystem" : "no_package_name"];
        return false;
    }
    key = *eco;
    VersionScheme scheme = scheme_for_ecosystem(key);
    for (const auto& range : affected.ranges) {
        for (const auto& e : range.events) {
            bool special = (e.kind == EventKind::Introduced && e.version == "0") ||
                           (e.kind == EventKind::Limit && e.version == "*");
            VersionScheme s = range.semver ? VersionScheme::Semver : scheme;
            if (!special && !compare_versions(s, e.version, e.version)) {
                ++summary.skipped["bad_version"];
                log::event(log::Level::Debug, "vulndb.bad_version",
                           {{"ecosystem", affected.ecosystem},
                            {"package", affected.name},
                            {"version", e.version}});
                return false;
            }
        }
    }
    return true;
}

void Importer::resolve_severity(const OsvRecord& record, Enrichment& out) const {
    out.cvss_score = record.cvss_score;
    out.cvss_vector = record.cvss_score >= 0 ? record.cvss_vector : std::string();
    out.severity = severity_for_score(out.cvss_score);
    if (out.severity == Severity::Unknown) {
        out.severity = severity_from_text(record.severity);
    }
    if (out.severity == Severity::Unknown) {
        out.severity = severity_from_summary(record.summary);
    }
    if (out.cvss_score >= 0) {
        return;
    }
    // Enrichment: the highest-scored CVE among the record's own id and its aliases.
    const Enrichment* best = nullptr;
    auto consider = [&](const std::string& id) {
        auto it = is_cve(id) ? cves_.find(id) : cves_.end();
        if (it == cves_.end()) {
            return;
        }
        const Enrichment& e = it->second;
        if (best == nullptr || e.cvss_score > best->cvss_score ||
            (e.cvss_score == best->cvss_score && e.severity > best->severity)) {
            best = &e;
        }
    };
    consider(record.id);
    std::for_each(record.aliases.begin(), record.aliases.end(), consider);
    if (best == nullptr) {
        return;
    }
    out.cvss_score = best->cvss_score;
    out.cvss_vector = best->cvss_vector;
    if (out.severity == Severity::Unknown) {
        out.severity = best->severity;
    }
}

void Importer::add_record(const std::string& feed, OsvRecord record, BuildSummary& summary) {
    if (record.withdrawn) {
        ++summary.skipped["withdrawn"];
        return;
    }
    if (!seen_ids_.insert(record.id).second) {
        ++summary.skipped["duplicate"];
        return;
    }
    std::vector<std::pair<std::string, OsvAffected*>> usable;
    for (auto& affected : record.affected) {
        std::string key;
        if (usable_affected(affected, key, summary)) {
            usable.emplace_back(std::move(key), &affected);
        }
    }
    if (usable.empty()) {
        ++summary.skipped["no_usable_package"];
        return;
    }

    Enrichment severity;
    resolve_severity(record, severity);
    bool kev = kev_.count(record.id) != 0 ||
               std::any_of(record.aliases.begin(), record.aliases.end(),
                           [&](const std::string& a) { return kev_.count(a) != 0; });
    if (record.references.size() > kMaxReferences) {
        record.references.resize(kMaxReferences);
    }

    Statement& a = insert_advisory_;
    a.reset();
    a.bind(1, record.id);
    a.bind(2, feed);
    bind_text_or_null(a, 3, record.summary);
    bind_text_or_null(a, 4, truncate_utf8(record.details, kMaxDetailsBytes));
    a.bind(5, static_cast<int64_t>(severity.severity));
    severity.cvss_score >= 0 ? a.bind(6, severity.cvss_score) : a.bind_null(6);
    bind_text_or_null(a, 7, severity.cvss_vector);
    a.bind(8, encode_strings(record.aliases));
    a.bind(9, encode_strings(record.references));
    bind_text_or_null(a, 10, record.published);
    bind_text_or_null(a, 11, record.modified);
    a.bind(12, static_cast<int64_t>(kev ? 1 : 0));
    if (auto r = a.step(); !r) {
        ++summary.skipped["insert_failed"];
        log::warn_limited("vulndb.insert_failed",
                          {{"id", record.id}, {"error", r.error().message}});
        return;
    }
    int64_t advisory = sqlite3_last_insert_rowid(db_->get());

    for (const auto& [key, affected] : usable) {
        Statement& f = insert_affected_;
        f.reset();
        f.bind(1, advisory);
        f.bind(2, key);
        f.bind(3, affected->ecosystem);
        f.bind(4, normalize_name(key, affected->name));
        f.bind(5, encode_ranges(affected->ranges));
        f.bind(6, encode_strings(affected->versions));
        if (auto r = f.step(); !r) {
            log::warn_limited("vulndb.insert_failed",
                              {{"id", record.id}, {"error", r.error().message}});
        }
    }
    ++summary.records_per_ecosystem[feed];
}

}  // namespace cguard::vulndb::detail
