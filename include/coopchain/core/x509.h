// X.509 material for the peer network's mutual TLS: a network certificate authority and one
// certificate per validator node, whose common name is the validator's id, or a node's
// self-signed certificate known by its public-key pin. ECDSA P-256 keys
// and SHA-256 signatures, which every TLS stack accepts. Only core includes OpenSSL.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "coopchain/core/status.h"

namespace coopchain {

struct PemPair {
  std::string certificate;  // PEM
  std::string private_key;  // PEM (PKCS#8)
};

// A self-signed CA certificate valid for `days` from now.
Result<PemPair> make_certificate_authority(std::string_view common_name, int days);

// A certificate for `node_id` (common name and DNS name), usable as TLS server and client, for
// 127.0.0.1 and localhost too, signed by the CA and valid for `days` from now.
Result<PemPair> issue_node_certificate(const PemPair& ca, std::string_view node_id, int days);

// A self-signed certificate for `node_id` with the names and uses of issue_node_certificate's:
// a node's TLS identity in a network with no certificate authority, where peers know each other
// by the pin of the public key (certificate_public_key_pin) that the chain records.
Result<PemPair> make_self_signed_node_certificate(std::string_view node_id, int days);

// The SHA-256 of the certificate's SubjectPublicKeyInfo (DER): its public-key pin, raw 32 bytes.
// It stays the same when a certificate is renewed for the same key.
Result<std::string> certificate_public_key_pin(std::string_view certificate);

// Ok when `certificate` chains to `ca_certificate` and is valid now.
Status verify_certificate(std::string_view ca_certificate, std::string_view certificate);

// The certificate's subject common name.
Result<std::string> certificate_common_name(std::string_view certificate);

// When a certificate is valid, in seconds since 1970 (UTC).
struct CertificateValidity {
  int64_t not_before = 0;
  int64_t not_after = 0;
};
Result<CertificateValidity> certificate_validity(std::string_view certificate);

}  // namespace coopchain
