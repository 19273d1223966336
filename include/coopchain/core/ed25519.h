// Ed25519 keys and signatures. Signing and verifying go through libsodium, whose verifier is
// about 2.5 times as fast as OpenSSL's on the same core (bench/crypto_bench); every node and
// every audit verifies every signature, so that rate bounds the whole network. PEM files are
// read and written with OpenSSL. Public keys are the raw 32 bytes; a key id is the SHA-256 of
// those bytes, written as lowercase hex.
//
// A signature verifies only if it is canonical (S below the group order) and neither the public
// key nor R is a point of small order: libsodium's rules, the same on every node.
#pragma once

#include <array>
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
  PrivateKey(const PrivateKey&) = delete;
  PrivateKey& operator=(const PrivateKey&) = delete;
  ~PrivateKey();

  std::string to_pem() const;
  const std::string& public_key() const { return public_key_; }
  std::string sign(std::string_view message) const;

 private:
  PrivateKey() = default;
  // libsodium's secret key: the 32-byte seed followed by the public key. Wiped on destruction.
  std::array<unsigned char, 64> secret_{};
  std::string public_key_;
};

// True only for a 64-byte signature by `public_key` (32 raw bytes) over `message`.
bool verify_signature(std::string_view public_key, std::string_view message,
                      std::string_view signature);

// Lowercase hex SHA-256 of the raw public key.
std::string key_id(std::string_view public_key);

}  // namespace coopchain
