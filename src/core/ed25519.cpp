#include "coopchain/core/ed25519.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <sodium.h>

#include <cstdio>
#include <cstdlib>

#include "coopchain/core/fatal.h"
#include "coopchain/core/hash.h"

namespace coopchain {
namespace {

constexpr size_t kSeedSize = 32;

// sodium_init is idempotent and thread-safe; it picks the fastest implementations for this CPU
// and seeds the random generator. A process without it must not go on signing.
void ensure_sodium() {
  static const bool ready = [] {
    if (sodium_init() < 0) {
      fatal("libsodium cannot start");
    }
    return true;
  }();
  (void)ready;
}

const unsigned char* bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

}  // namespace

PrivateKey::PrivateKey(PrivateKey&& other) noexcept
    : secret_(other.secret_), public_key_(std::move(other.public_key_)) {
  sodium_memzero(other.secret_.data(), other.secret_.size());
}

PrivateKey& PrivateKey::operator=(PrivateKey&& other) noexcept {
  if (this != &other) {
    secret_ = other.secret_;
    public_key_ = std::move(other.public_key_);
    sodium_memzero(other.secret_.data(), other.secret_.size());
  }
  return *this;
}

PrivateKey::~PrivateKey() {
  sodium_memzero(secret_.data(), secret_.size());
}

Result<PrivateKey> PrivateKey::generate() {
  ensure_sodium();
  std::string seed(kSeedSize, '\0');
  randombytes_buf(seed.data(), seed.size());
  auto key = from_seed(seed);
  sodium_memzero(seed.data(), seed.size());
  return key;
}

Result<PrivateKey> PrivateKey::from_pem(std::string_view pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  if (bio == nullptr) return Status::Internal("out of memory");
  EVP_PKEY* pkey = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (pkey == nullptr) return Status::InvalidArgument("not a PEM private key");
  if (EVP_PKEY_id(pkey) != EVP_PKEY_ED25519) {
    EVP_PKEY_free(pkey);
    return Status::InvalidArgument("the PEM key is not an Ed25519 key");
  }
  std::string seed(kSeedSize, '\0');
  size_t len = seed.size();
  const bool ok = EVP_PKEY_get_raw_private_key(pkey, reinterpret_cast<unsigned char*>(seed.data()),
                                               &len) == 1 &&
                  len == kSeedSize;
  EVP_PKEY_free(pkey);
  if (!ok) return Status::InvalidArgument("the PEM key holds no Ed25519 seed");
  auto key = from_seed(seed);
  sodium_memzero(seed.data(), seed.size());
  return key;
}

Result<PrivateKey> PrivateKey::from_seed(std::string_view seed32) {
  if (seed32.size() != kSeedSize) return Status::InvalidArgument("an Ed25519 seed is 32 bytes");
  ensure_sodium();
  PrivateKey key;
  key.public_key_.assign(kPublicKeySize, '\0');
  if (crypto_sign_seed_keypair(reinterpret_cast<unsigned char*>(key.public_key_.data()),
                               key.secret_.data(), bytes(seed32)) != 0) {
    return Status::Internal("cannot load an Ed25519 seed");
  }
  return key;
}

std::string PrivateKey::to_pem() const {
  EVP_PKEY* pkey =
      EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, secret_.data(), kSeedSize);
  BIO* bio = BIO_new(BIO_s_mem());
  std::string out;
  if (pkey != nullptr && bio != nullptr &&
      PEM_write_bio_PrivateKey(bio, pkey, nullptr, nullptr, 0, nullptr, nullptr) == 1) {
    char* data = nullptr;
    long len = BIO_get_mem_data(bio, &data);
    out.assign(data, static_cast<size_t>(len));
  }
  BIO_free(bio);
  EVP_PKEY_free(pkey);
  return out;
}

std::string PrivateKey::sign(std::string_view message) const {
  std::string sig(kSignatureSize, '\0');
  if (crypto_sign_detached(reinterpret_cast<unsigned char*>(sig.data()), nullptr, bytes(message),
                           message.size(), secret_.data()) != 0) {
    return {};
  }
  return sig;
}

bool verify_signature(std::string_view public_key, std::string_view message,
                      std::string_view signature) {
  if (public_key.size() != kPublicKeySize || signature.size() != kSignatureSize) return false;
  ensure_sodium();
  return crypto_sign_verify_detached(bytes(signature), bytes(message), message.size(),
                                     bytes(public_key)) == 0;
}

std::string key_id(std::string_view public_key) {
  return to_hex(sha256(public_key));
}

}  // namespace coopchain
