# gongkai in a container: docker build -t gongkai . && docker run -p 8080:8080 -v gongkai-data:/data gongkai
# The build context has no .git: pass the version, e.g.
#   docker build --build-arg VERSION=$(git describe --tags --always) \
#     --build-arg COMMIT=$(git rev-parse HEAD) --build-arg COMMIT_DATE=$(git log -1 --format=%cI) -t gongkai .

FROM golang:1.26-bookworm AS build
# npm fetches ECharts (make build embeds it; it is never committed).
RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends npm \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
ARG COMMIT=
ARG COMMIT_DATE=
RUN CGO_ENABLED=0 make build BIN=/out/gongkai VERSION="$VERSION" COMMIT="$COMMIT" COMMIT_DATE="$COMMIT_DATE" \
    && mkdir -p /out/data

# A static binary needs no libc: distroless static has CA certificates, tzdata and a non-root user.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/gongkai /usr/local/bin/gongkai
COPY --from=build --chown=65532:65532 /out/data /data
USER 65532:65532
# The store, index, attachments and gongkai.yaml (read from /data/gongkai.yaml when present).
VOLUME ["/data"]
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/gongkai", "--data", "/data"]
# gongkai listens on loopback by default; inside a container loopback cannot be reached through the
# published port, so binding to 0.0.0.0 here is deliberate. Publish it to the host's loopback
# (-p 127.0.0.1:8080:8080) and put nginx with HTTPS in front (docs/deployment.md).
CMD ["serve", "--addr", "0.0.0.0:8080"]
