#!/usr/bin/env bash
# Issue #2: "memory must not grow with the image's size". Builds (once, cached) a synthetic
# multi-gigabyte image and measures, side by side in one run and interleaved:
#   floor (oci)     gzip -dc of the OCI layout's layer blobs, to /dev/null
#   scan (oci)      cguard scan --skip-vulns --format json oci:DIR:large
#   floor (docker)  gzip -dc of the docker-save archive (a .tar.gz whose layers are plain tars)
#   scan (docker)   cguard scan --skip-vulns --format json docker-archive:FILE
# Prints medians of BENCH_REPS (default 3) runs and the peak RSS of the scans.
#
# The image: three layers of 8 x 128 MiB files of low-entropy text (3 GiB uncompressed; text
# from a small vocabulary so gzip -1 makes it quickly) and one layer of 300,000 tiny files in
# 300 directories (the per-file cost). manifest.json is the last member of the docker archive,
# so every layer's result is held until it is read, as with `docker save`.
# Cached under ${CGUARD_TEST_CACHE:-~/.cache/cguard-test}/large-image (about 1.5 GiB on disk;
# building it takes a few minutes).
# Usage: bench/large_image.sh
set -euo pipefail
source "$(dirname "$0")/lib.sh"
reps="${BENCH_REPS:-3}"
bench_require

cache="${CGUARD_TEST_CACHE:-$HOME/.cache/cguard-test}/large-image"

build_image() {
    [ -f "$cache/done" ] && return 0
    rm -rf "$cache"
    mkdir -p "$cache/oci/blobs/sha256"
    echo "bench: building the large image under $cache (a few minutes, once)" >&2
    python3 - "$cache" <<'PY'
import gzip, hashlib, io, json, os, random, subprocess, sys, tarfile

out = sys.argv[1]
blobs = os.path.join(out, "oci", "blobs", "sha256")
rng = random.Random(2)
BIG_FILES, BIG_SIZE = 8, 128 << 20
TINY_DIRS, TINY_PER_DIR = 300, 1000
words = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 9)))
         for _ in range(64)]


class LayerWriter:
    """Writes a tar stream through `gzip -1` into a blob, hashing the uncompressed bytes."""

    def __init__(self):
        self.tmp = os.path.join(blobs, "partial")
        self.gz = subprocess.Popen(["gzip", "-1", "-n"], stdin=subprocess.PIPE,
                                   stdout=open(self.tmp, "wb"))
        self.diff = hashlib.sha256()
        self.size = 0

    def write(self, data):
        self.diff.update(data)
        self.gz.stdin.write(data)
        self.size += len(data)

    def add(self, name, data=b"", kind=tarfile.REGTYPE, mode=0o644, size=None, chunks=()):
        info = tarfile.TarInfo(name)
        info.type, info.mode, info.mtime = kind, mode, 1700000000
        info.size = len(data) if size is None else size
        self.write(info.tobuf(tarfile.PAX_FORMAT))
        written = 0
        for chunk in chunks or ([data] if data else []):
            self.write(chunk)
            written += len(chunk)
        assert written == info.size
        if info.size % 512:
            self.write(b"\0" * (512 - info.size % 512))

    def close(self):
        self.write(b"\0" * 1024)
        self.gz.stdin.close()
        assert self.gz.wait() == 0
        digest = hashlib.sha256()
        with open(self.tmp, "rb") as f:
            while block := f.read(1 << 20):
                digest.update(block)
        name = digest.hexdigest()
        os.rename(self.tmp, os.path.join(blobs, name))
        return {"digest": "sha256:" + name, "diff_id": "sha256:" + self.diff.hexdigest(),
                "size": os.path.getsize(os.path.join(blobs, name)), "tar_size": self.size}


def big_layer(n):
    w = LayerWriter()
    w.add("opt/", kind=tarfile.DIRTYPE, mode=0o755)
    w.add(f"opt/data{n}/", kind=tarfile.DIRTYPE, mode=0o755)
    if n == 0:
        w.add("etc/", kind=tarfile.DIRTYPE, mode=0o755)
        w.add("etc/os-release", b'NAME="Synthetic"\nID=synthetic\nVERSION_ID="1"\n')
    block = " ".join(rng.choice(words) for _ in range(800_000)).encode()[: 4 << 20]
    for i in range(BIG_FILES):
        chunks = [block] * (BIG_SIZE // len(block))
        w.add(f"opt/data{n}/blob-{i}.bin", size=BIG_SIZE, chunks=chunks)
    return w.close()


def tiny_layer():
    w = LayerWriter()
    w.add("srv/", kind=tarfile.DIRTYPE, mode=0o755)
    for d in range(TINY_DIRS):
        w.add(f"srv/tiny/d{d:03d}/", kind=tarfile.DIRTYPE, mode=0o755)
        for f in range(TINY_PER_DIR):
            w.add(f"srv/tiny/d{d:03d}/file-{f:04d}.txt", f"{d} {f}\n".encode())
    return w.close()


layers = [big_layer(0), big_layer(1), big_layer(2), tiny_layer()]


def blob(data):
    name = hashlib.sha256(data).hexdigest()
    with open(os.path.join(blobs, name), "wb") as f:
        f.write(data)
    return {"digest": "sha256:" + name, "size": len(data)}


config = json.dumps({"architecture": "amd64", "os": "linux",
                     "rootfs": {"type": "layers", "diff_ids": [l["diff_id"] for l in layers]},
                     "config": {}}).encode()
manifest = json.dumps({
    "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
    "config": dict(blob(config), mediaType="application/vnd.oci.image.config.v1+json"),
    "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                "digest": l["digest"], "size": l["size"]} for l in layers]}).encode()
index = {"schemaVersion": 2, "manifests": [dict(
    blob(manifest), mediaType="application/vnd.oci.image.manifest.v1+json",
    annotations={"org.opencontainers.image.ref.name": "large"})]}
with open(os.path.join(out, "oci", "index.json"), "w") as f:
    json.dump(index, f)
with open(os.path.join(out, "oci", "oci-layout"), "w") as f:
    json.dump({"imageLayoutVersion": "1.0.0"}, f)

# docker save layout: N/layer.tar (plain tar, as docker writes it), config, manifest.json last;
# the whole archive gzip-compressed, streamed from the OCI blobs.
config_name = hashlib.sha256(config).hexdigest() + ".json"
partial = os.path.join(out, "docker.tar.gz.partial")
gz = subprocess.Popen(["gzip", "-1", "-n"], stdin=subprocess.PIPE, stdout=open(partial, "wb"))
with tarfile.open(fileobj=gz.stdin, mode="w|", format=tarfile.PAX_FORMAT) as archive:
    members = []
    for i, l in enumerate(layers):
        info = tarfile.TarInfo(f"{i:064d}/layer.tar")
        info.size, info.mtime = l["tar_size"], 1700000000
        src = subprocess.Popen(["gzip", "-dc", os.path.join(blobs, l["digest"][7:])],
                               stdout=subprocess.PIPE)
        archive.addfile(info, src.stdout)
        assert src.wait() == 0
        members.append(info.name)
    for name, data in [(config_name, config),
                       ("manifest.json", json.dumps([{"Config": config_name,
                                                      "RepoTags": ["large:latest"],
                                                      "Layers": members}]).encode())]:
        info = tarfile.TarInfo(name)
        info.size, info.mtime = len(data), 1700000000
        archive.addfile(info, io.BytesIO(data))
gz.stdin.close()
assert gz.wait() == 0
os.rename(partial, os.path.join(out, "docker.tar.gz"))
with open(os.path.join(out, "summary.txt"), "w") as f:
    tar_bytes = sum(l["tar_size"] for l in layers)
    gz_bytes = sum(l["size"] for l in layers)
    files = 3 * BIG_FILES + TINY_DIRS * TINY_PER_DIR
    f.write(f"{len(layers)} layers, {files} files, {tar_bytes / 2**30:.2f} GiB of tar, "
            f"{gz_bytes / 2**20:.0f} MiB gzip\n")
PY
    touch "$cache/done"
}

build_image
oci="$cache/oci"
docker="$cache/docker.tar.gz"
manifest="$(jq -r '.manifests[0].digest' "$oci/index.json" | sed 's/^sha256://')"
mapfile -t layers < <(jq -r '.layers[].digest' "$oci/blobs/sha256/$manifest" |
    sed "s|^sha256:|$oci/blobs/sha256/|")

scan_oci=("$cguard" scan --skip-vulns --no-progress --format json "oci:$oci:large")
scan_docker=("$cguard" scan --skip-vulns --no-progress --format json "docker-archive:$docker")

# Warm-up: the page cache holds every input for every column.
gzip -dc "${layers[@]}" >/dev/null
gzip -dc "$docker" >/dev/null

fo=() so=() so_rss=() fd=() sd=() sd_rss=()
for i in $(seq "$reps"); do
    measure a gzip -dc "${layers[@]}"
    fo+=("$a_s")
    measure b "${scan_oci[@]}"
    so+=("$b_s") so_rss+=("$b_kib")
    measure c gzip -dc "$docker"
    fd+=("$c_s")
    measure d "${scan_docker[@]}"
    sd+=("$d_s") sd_rss+=("$d_kib")
    echo "run $i: oci floor ${a_s}s scan ${b_s}s (${b_kib} KiB); docker floor ${c_s}s scan ${d_s}s (${d_kib} KiB)" >&2
done

fo_m=$(median "${fo[@]}") so_m=$(median "${so[@]}") fd_m=$(median "${fd[@]}") sd_m=$(median "${sd[@]}")
max_kib() { printf '%s\n' "$@" | sort -n | tail -1; }
echo "image: $(cat "$cache/summary.txt" 2>/dev/null || echo large-image); $reps runs, $(nproc) cores"
echo "oci:    floor (gzip -dc layer blobs) median ${fo_m} s; cguard scan median ${so_m} s, ratio $(ratio "$so_m" "$fo_m")x, peak RSS median $(mib "$(median "${so_rss[@]}")") MiB, max $(mib "$(max_kib "${so_rss[@]}")") MiB"
echo "docker: floor (gzip -dc archive)     median ${fd_m} s; cguard scan median ${sd_m} s, ratio $(ratio "$sd_m" "$fd_m")x, peak RSS median $(mib "$(median "${sd_rss[@]}")") MiB, max $(mib "$(max_kib "${sd_rss[@]}")") MiB"
