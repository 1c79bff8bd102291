#!/usr/bin/env bash
# Creates the demo PKI of the IoT Async-RPC Core with openssl: a root CA, an intermediate CA for
# devices and one for servers, the broker's and nginx's server certificates, the RS256 key pair
# for JWTs and the device CA's first (empty) CRL. See pki/README.md.
#
#   pki/bootstrap.sh            create what is missing; does nothing when the PKI exists
#   pki/bootstrap.sh --force    delete the PKI directory's files and create everything anew
#                               (every certificate issued so far stops being trusted)
#
# Target: $IOTCORE_PKI_DIR, by default the directory scripts/lib/pki.sh names (inside the local
# broker's root; `scripts/stack env` prints it). Never a directory of the repository.
#
# Environment: IOTCORE_PKI_DIR, IOTCORE_PKI_SERVER_SANS (extra subjectAltName entries for the
# server certificates, e.g. "DNS:iot.example.org,IP:192.168.1.10").
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
force=0
for arg in "$@"; do
  case $arg in
    --force) force=1 ;;
    -h | --help)
      sed -n '2,14s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
      exit 0
      ;;
    *)
      echo "unknown argument: $arg" >&2
      exit 2
      ;;
  esac
done

if [ -z "${IOTCORE_PKI_DIR:-}" ]; then
  # shellcheck source=../scripts/lib/common.sh
  . "$here/../scripts/lib/common.sh"
  # shellcheck source=../scripts/lib/rabbitmq.sh
  . "$here/../scripts/lib/rabbitmq.sh"
  # shellcheck source=../scripts/lib/pki.sh
  . "$here/../scripts/lib/pki.sh"
fi
dir=$IOTCORE_PKI_DIR
repo=$(cd "$here/.." && pwd)
case "$(realpath -m "$dir")/" in
  "$repo"/*)
    echo "IOTCORE_PKI_DIR=$dir is inside the repository; private keys must not live there" >&2
    exit 2
    ;;
esac

say() { printf '%s [pki] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# Everything that marks a complete PKI; partial leftovers are recreated.
outputs=(root-ca.pem root-ca.key device-ca.pem device-ca.key device-ca-chain.pem server-ca.pem
  server-ca.key broker.pem broker.key broker-chain.pem nginx.pem nginx.key nginx-chain.pem
  trust-bundle.pem jwt-signing.key jwt-signing.pub.pem crl/device-ca.crl.pem)
complete=1
for f in "${outputs[@]}"; do [ -s "$dir/$f" ] || complete=0; done
if [ "$complete" = 1 ] && [ "$force" = 0 ]; then
  say "PKI in $dir exists; nothing to do (--force recreates it)"
  exit 0
fi
if [ "$complete" = 0 ] && [ "$force" = 0 ] && [ -e "$dir/root-ca.pem" ]; then
  say "PKI in $dir is incomplete; recreating all of it"
fi

umask 077
mkdir -p "$dir"
chmod 0700 "$dir"
# Only our own files: the directory may hold other things (ca-service state, for instance).
rm -rf "${dir:?}/crl" "$dir/openssl" "$dir/issued"
for f in "${outputs[@]}" root-ca.srl server-ca.srl device-ca.srl; do rm -f "$dir/$f"; done
mkdir -p "$dir/crl" "$dir/openssl/device-ca-db"
cd "$dir"

# A PKCS#8 PEM key (what Java's KeyFactory, nginx, Erlang and Bouncy Castle all read).
ec_key() { openssl genpkey -algorithm EC -pkeyopt "ec_paramgen_curve:$1" -out "$2"; }

export SERVER_SANS="DNS:localhost,IP:127.0.0.1" # set per server certificate below
cat >openssl/extensions.cnf <<'EOF'
[req]
distinguished_name = dn
[dn]

[root_ca]
basicConstraints = critical, CA:true, pathlen:1
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash

[device_ca]
basicConstraints = critical, CA:true, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always

[server_ca]
basicConstraints = critical, CA:true, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always

[server]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
subjectAltName = ${ENV::SERVER_SANS}
EOF

# `openssl ca` only for the CRL: it needs a database (index.txt) of what the device CA issued.
# ca-service keeps its own record of issued and revoked certificates (PostgreSQL) and writes the
# CRL itself; this database stays empty.
: >openssl/device-ca-db/index.txt
echo 1000 >openssl/device-ca-db/crlnumber
cat >openssl/device-ca.cnf <<EOF
[ca]
default_ca = device_ca
[device_ca]
database = $dir/openssl/device-ca-db/index.txt
crlnumber = $dir/openssl/device-ca-db/crlnumber
certificate = $dir/device-ca.pem
private_key = $dir/device-ca.key
default_md = sha384
default_crl_days = 30
crl_extensions = crl_ext
[crl_ext]
authorityKeyIdentifier = keyid:always
EOF

subject() { echo "/O=IoT Async-RPC Core (demo)/CN=$1"; }

say "root CA (EC P-384, 10 years, pathlen 1)"
ec_key P-384 root-ca.key
openssl req -new -x509 -key root-ca.key -sha384 -days 3650 -subj "$(subject 'IoT Core Demo Root CA')" \
  -config openssl/extensions.cnf -extensions root_ca -out root-ca.pem

# issue NAME CN DAYS EXTENSION ISSUER KEYCURVE
issue() {
  local name=$1 cn=$2 days=$3 ext=$4 issuer=$5 curve=$6
  ec_key "$curve" "$name.key"
  openssl req -new -key "$name.key" -subj "$(subject "$cn")" -out "openssl/$name.csr"
  openssl x509 -req -in "openssl/$name.csr" -CA "$issuer.pem" -CAkey "$issuer.key" \
    -CAcreateserial -CAserial "openssl/$issuer.srl" -days "$days" -sha384 \
    -extfile openssl/extensions.cnf -extensions "$ext" -out "$name.pem" 2>/dev/null
  rm -f "openssl/$name.csr"
}

say "device CA (intermediate for device certificates, EC P-384, 5 years, pathlen 0)"
issue device-ca 'IoT Core Demo Device CA' 1825 device_ca root-ca P-384
say "server CA (intermediate for server certificates, EC P-384, 5 years, pathlen 0)"
issue server-ca 'IoT Core Demo Server CA' 1825 server_ca root-ca P-384
cat device-ca.pem root-ca.pem >device-ca-chain.pem

for server in broker nginx; do
  # The compose service names (rabbitmq, nginx) too, so the same certificates serve there.
  case $server in broker) alias=rabbitmq ;; *) alias=nginx ;; esac
  SERVER_SANS="DNS:localhost,DNS:$alias,IP:127.0.0.1${IOTCORE_PKI_SERVER_SANS:+,$IOTCORE_PKI_SERVER_SANS}"
  say "$server certificate (EC P-256, serverAuth, $SERVER_SANS, 825 days)"
  issue "$server" "$alias" 825 server server-ca P-256
  cat "$server.pem" server-ca.pem >"$server-chain.pem"
done
cp root-ca.pem trust-bundle.pem

say "JWT signing key (RSA 2048, PKCS#8) and its public key (SPKI)"
openssl genpkey -quiet -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out jwt-signing.key
openssl pkey -in jwt-signing.key -pubout -out jwt-signing.pub.pem

say "device CA's first CRL (empty, next update in 30 days; ca-service re-issues it)"
openssl ca -config openssl/device-ca.cnf -gencrl -out crl/device-ca.crl.pem.tmp 2>openssl/gencrl.log
mv crl/device-ca.crl.pem.tmp crl/device-ca.crl.pem
# Erlang's ssl_crl_hash_dir (the broker) finds a CRL by its issuer's name hash: <hash>.r0. A
# relative link, so it keeps pointing at the file ca-service replaces, inside the chroot as well.
ln -sfn device-ca.crl.pem "crl/$(openssl crl -in crl/device-ca.crl.pem -noout -hash).r0"

chmod 0600 ./*.key
chmod 0644 ./*.pem crl/device-ca.crl.pem
chmod 0755 crl
openssl verify -CAfile root-ca.pem -untrusted server-ca.pem broker.pem nginx.pem >/dev/null
openssl verify -CAfile root-ca.pem device-ca.pem >/dev/null
say "PKI ready in $dir"
