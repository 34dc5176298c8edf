# Builds the osallistu binary; docker-compose.yml runs it beside PostgreSQL.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o /out/osallistu ./cmd/osallistu

FROM debian:bookworm-slim
RUN useradd --system --home /nonexistent osallistu
COPY --from=build /out/osallistu /usr/local/bin/osallistu
USER osallistu
EXPOSE 8080
ENTRYPOINT ["osallistu"]
CMD ["serve", "--addr", "0.0.0.0:8080"]
