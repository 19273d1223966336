// Ed25519 keys and signatures through OpenSSL EVP. Public keys are the raw 32 bytes; a key id is
// the SHA-256 of those bytes, written as lowercase hex.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "coopchain/core/status.h"

namespace coopchain {

inline constexpr size_t kPublicKeySize = 32;
inline constexpr size_t kSignatureSize = 64;

class PrivateKey {
 public:
  static Result<PrivateKey> generate();
  // PKCS#8 PEM, as written by `to_pem` or `openssl genpkey -algorithm ed25519`.
  static Result<PrivateKey> from_pem(std::string_view pem);
  static Result<PrivateKey> from_seed(std::string_view seed32);

  PrivateKey(PrivateKey&&) noexcept;
  PrivateKey& operator=(PrivateKey&&) noexcept;
  ~PrivateKey();

  std::string to_pem() const;
  const std::string& public_key() const { return public_key_; }
  std::string sign(std::string_view message) const;

 private:
  PrivateKey(void* pkey, std::string public_key);
  void* pkey_;  // EVP_PKEY*
  std::string public_key_;
};

// True only for a 64-byte signature by `public_key` (32 raw bytes) over `message`.
bool verify_signature(std::string_view public_key, std::string_view message,
                      std::string_view signature);

// Lowercase hex SHA-256 of the raw public key.
std::string key_id(std::string_view public_key);

}  // namespace coopchain
