# Perpwatch (devnet, indexer + API, worker) for docker-compose.yml. Node 20, as pinned for
# Ponder 0.16; the anvil and chDB binaries come from their npm packages.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production PONDER_TELEMETRY_DISABLED=1
COPY package.json package-lock.json ./
RUN npm ci --include=dev && npm cache clean --force
COPY . .
EXPOSE 42069
# Every interface of the container (its own network); who reaches it is the port mapping's
# choice (docker-compose.yml publishes it on the host's loopback) and the API keys' (README).
CMD ["npx", "perpwatch", "start", "--api-port", "42069", "--host", "0.0.0.0"]
