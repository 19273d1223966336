#include "coopchain/core/hash.h"

#include <openssl/evp.h>

#include <stdexcept>

namespace coopchain {

namespace {

// OpenSSL 3 looks an algorithm up by name in a global, lock-protected store each time a digest
// is started from EVP_sha256(); a node hashes from several threads at once, so the lookup is
// done once for the process and every digest starts from the fetched implementation.
const EVP_MD* sha256_md() {
  static const EVP_MD* const md = [] {
    EVP_MD* fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    if (fetched == nullptr) throw std::runtime_error("OpenSSL has no SHA-256");
    return fetched;
  }();
  return md;
}

// One digest context per thread, reused: a context costs an allocation to create.
EVP_MD_CTX* thread_sha256_ctx() {
  struct Owned {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    ~Owned() { EVP_MD_CTX_free(ctx); }
  };
  thread_local Owned owned;
  if (owned.ctx == nullptr) throw std::bad_alloc();
  return owned.ctx;
}

}  // namespace

Hash256 sha256(std::string_view data) {
  EVP_MD_CTX* ctx = thread_sha256_ctx();
  Hash256 out{};
  unsigned int len = 0;
  if (EVP_DigestInit_ex2(ctx, sha256_md(), nullptr) != 1 ||
      EVP_DigestUpdate(ctx, data.data(), data.size()) != 1 ||
      EVP_DigestFinal_ex(ctx, out.data(), &len) != 1) {
    throw std::runtime_error("SHA-256 failed");
  }
  return out;
}

Hash256 sha256(std::span<const uint8_t> data) {
  return sha256(std::string_view(reinterpret_cast<const char*>(data.data()), data.size()));
}

Sha256Builder::Sha256Builder() : ctx_(EVP_MD_CTX_new()) {
  if (ctx_ == nullptr) throw std::bad_alloc();
  EVP_DigestInit_ex2(static_cast<EVP_MD_CTX*>(ctx_), sha256_md(), nullptr);
}

Sha256Builder::~Sha256Builder() {
  EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(ctx_));
}

Sha256Builder& Sha256Builder::add(std::string_view data) {
  EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(ctx_), data.data(), data.size());
  return *this;
}

Hash256 Sha256Builder::finish() {
  Hash256 out{};
  unsigned int len = 0;
  EVP_DigestFinal_ex(static_cast<EVP_MD_CTX*>(ctx_), out.data(), &len);
  return out;
}

std::string to_hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 0xF]);
  }
  return out;
}

std::string to_hex(const Hash256& h) {
  return to_hex(Sha256Builder::as_view(h));
}

namespace {
int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

std::optional<std::string> from_hex(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  std::string out;
  out.reserve(hex.size() / 2);
  for (size_t i = 0; i < hex.size(); i += 2) {
    int hi = hex_value(hex[i]);
    int lo = hex_value(hex[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>((hi << 4) | lo));
  }
  return out;
}

std::optional<Hash256> hash_from_hex(std::string_view hex) {
  if (hex.size() != 64) return std::nullopt;
  auto bytes = from_hex(hex);
  if (!bytes) return std::nullopt;
  Hash256 h{};
  std::copy(bytes->begin(), bytes->end(), h.begin());
  return h;
}

Hash256 merkle_root(const std::vector<Hash256>& leaves) {
  if (leaves.empty()) return Hash256{};
  std::vector<Hash256> level;
  level.reserve(leaves.size());
  for (const auto& leaf : leaves) {
    level.push_back(Sha256Builder().add(std::string_view("\x00", 1)).add(leaf).finish());
  }
  while (level.size() > 1) {
    std::vector<Hash256> next;
    next.reserve((level.size() + 1) / 2);
    for (size_t i = 0; i + 1 < level.size(); i += 2) {
      next.push_back(Sha256Builder().add("\x01").add(level[i]).add(level[i + 1]).finish());
    }
    if (level.size() % 2 == 1) next.push_back(level.back());
    level = std::move(next);
  }
  return level.front();
}

}  // namespace coopchain
