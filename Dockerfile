# The suite runner's image: Node, zstd and the repo with the VM snapshot built in; runs one shard of a suite.
# Build: docker build -t opslab-suite .   Run: docker run -e SUITE_TASKS=sysadmin -e SUITE_SHARD=1/4 opslab-suite
# The entrypoint maps SUITE_* variables to `npm run suite` flags (deploy/suite-entrypoint.sh lists them).
# No chromium: the suite runs the VM in Node, not in a browser.
FROM node:20-bookworm-slim

# zstd: the VM snapshot is compressed with it.
RUN apt-get update \
  && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends zstd ca-certificates \
  && rm -rf /var/lib/apt/lists/*

WORKDIR /opslab
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
# NOTE: the snapshot is made once at build time (about 2 minutes), not in every pod.
RUN npm run vm:snapshot --silent

# Results go here unless SUITE_OUT says otherwise: mount a volume to keep them.
ENV SUITE_RESULTS_DIR=/results
RUN mkdir -p /results
ENTRYPOINT ["/opslab/deploy/suite-entrypoint.sh"]
