#!/bin/bash -eu
# SPDX-License-Identifier: GPL-2.0-or-later
# ClusterFuzzLite's build script ($SRC/build.sh in the image): Tern's own, which OSS-Fuzz
# would run too and ci/oss-fuzz-check.sh checks.
exec bash "$SRC/tern/ci/oss-fuzz/build.sh"
