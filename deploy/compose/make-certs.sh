#!/bin/sh
# One-shot (compose service `bus-certs`): a private CA and server certificates for NATS
# and Redis on the compose network, made on the first `docker compose up` and kept in the
# bus-certs volume. The CA key is deleted once both certificates are signed.
set -eu
cd /certs
[ -f ca.crt ] && exit 0
apk add --no-cache openssl >/dev/null
curve="-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes"
openssl req -x509 $curve -days 3650 -subj "/CN=pocketquant-compose-ca" \
  -keyout ca.key -out ca.pending
for name in nats redis; do
  openssl req $curve -subj "/CN=$name" -keyout "$name.key" -out "$name.csr"
  printf 'subjectAltName=DNS:%s\nextendedKeyUsage=serverAuth\n' "$name" > "$name.ext"
  openssl x509 -req -in "$name.csr" -CA ca.pending -CAkey ca.key -CAcreateserial \
    -days 825 -extfile "$name.ext" -out "$name.crt"
  rm "$name.csr" "$name.ext"
done
rm -f ca.key ca.srl
chown 999:999 redis.key          # redis-server runs as uid 999 in its image
chmod 0600 nats.key redis.key
chmod 0644 nats.crt redis.crt ca.pending
mv ca.pending ca.crt             # last: its presence means "done"
