#include "coopchain/core/ed25519.h"

#include <openssl/evp.h>
#include <openssl/pem.h>

#include "coopchain/core/hash.h"

namespace coopchain {
namespace {

EVP_PKEY* as_pkey(void* p) {
  return static_cast<EVP_PKEY*>(p);
}

std::string raw_public_key(EVP_PKEY* pkey) {
  std::string out(kPublicKeySize, '\0');
  size_t len = out.size();
  if (EVP_PKEY_get_raw_public_key(pkey, reinterpret_cast<unsigned char*>(out.data()), &len) != 1 ||
      len != kPublicKeySize) {
    return {};
  }
  return out;
}

}  // namespace

PrivateKey::PrivateKey(void* pkey, std::string public_key)
    : pkey_(pkey), public_key_(std::move(public_key)) {}

PrivateKey::PrivateKey(PrivateKey&& other) noexcept
    : pkey_(other.pkey_), public_key_(std::move(other.public_key_)) {
  other.pkey_ = nullptr;
}

PrivateKey& PrivateKey::operator=(PrivateKey&& other) noexcept {
  if (this != &other) {
    EVP_PKEY_free(as_pkey(pkey_));
    pkey_ = other.pkey_;
    public_key_ = std::move(other.public_key_);
    other.pkey_ = nullptr;
  }
  return *this;
}

PrivateKey::~PrivateKey() {
  EVP_PKEY_free(as_pkey(pkey_));
}

Result<PrivateKey> PrivateKey::generate() {
  EVP_PKEY* pkey = nullptr;
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nullptr);
  bool ok = ctx != nullptr && EVP_PKEY_keygen_init(ctx) == 1 && EVP_PKEY_keygen(ctx, &pkey) == 1;
  EVP_PKEY_CTX_free(ctx);
  if (!ok) return Status::Internal("cannot generate an Ed25519 key");
  std::string pub = raw_public_key(pkey);
  return PrivateKey(pkey, std::move(pub));
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
  std::string pub = raw_public_key(pkey);
  return PrivateKey(pkey, std::move(pub));
}

Result<PrivateKey> PrivateKey::from_seed(std::string_view seed32) {
  if (seed32.size() != 32) return Status::InvalidArgument("an Ed25519 seed is 32 bytes");
  EVP_PKEY* pkey = EVP_PKEY_new_raw_private_key(
      EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(seed32.data()), 32);
  if (pkey == nullptr) return Status::Internal("cannot load an Ed25519 seed");
  std::string pub = raw_public_key(pkey);
  return PrivateKey(pkey, std::move(pub));
}

std::string PrivateKey::to_pem() const {
  BIO* bio = BIO_new(BIO_s_mem());
  std::string out;
  if (bio != nullptr &&
      PEM_write_bio_PrivateKey(bio, as_pkey(pkey_), nullptr, nullptr, 0, nullptr, nullptr) == 1) {
    char* data = nullptr;
    long len = BIO_get_mem_data(bio, &data);
    out.assign(data, static_cast<size_t>(len));
  }
  BIO_free(bio);
  return out;
}

std::string PrivateKey::sign(std::string_view message) const {
  std::string sig(kSignatureSize, '\0');
  size_t len = sig.size();
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  bool ok =
      ctx != nullptr && EVP_DigestSignInit(ctx, nullptr, nullptr, nullptr, as_pkey(pkey_)) == 1 &&
      EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &len,
                     reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1;
  EVP_MD_CTX_free(ctx);
  if (!ok || len != kSignatureSize) return {};
  return sig;
}

bool verify_signature(std::string_view public_key, std::string_view message,
                      std::string_view signature) {
  if (public_key.size() != kPublicKeySize || signature.size() != kSignatureSize) return false;
  EVP_PKEY* pkey = EVP_PKEY_new_raw_public_key(
      EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(public_key.data()),
      public_key.size());
  if (pkey == nullptr) return false;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  bool ok = ctx != nullptr && EVP_DigestVerifyInit(ctx, nullptr, nullptr, nullptr, pkey) == 1 &&
            EVP_DigestVerify(
                ctx, reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1;
  EVP_MD_CTX_free(ctx);
  EVP_PKEY_free(pkey);
  return ok;
}

std::string key_id(std::string_view public_key) {
  return to_hex(sha256(public_key));
}

}  // namespace coopchain
