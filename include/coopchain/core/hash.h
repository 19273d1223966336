// SHA-256 digests, lowercase hex, and the Merkle root over transaction ids.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace coopchain {

using Hash256 = std::array<uint8_t, 32>;

Hash256 sha256(std::string_view data);
Hash256 sha256(std::span<const uint8_t> data);

// Incremental SHA-256 for data that comes in pieces.
class Sha256Builder {
 public:
  Sha256Builder();
  ~Sha256Builder();
  Sha256Builder(const Sha256Builder&) = delete;
  Sha256Builder& operator=(const Sha256Builder&) = delete;

  Sha256Builder& add(std::string_view data);
  Sha256Builder& add(const Hash256& h) { return add(as_view(h)); }
  Hash256 finish();

  static std::string_view as_view(const Hash256& h) {
    return {reinterpret_cast<const char*>(h.data()), h.size()};
  }

 private:
  void* ctx_;  // EVP_MD_CTX, opaque so that only core includes OpenSSL
};

std::string to_hex(std::string_view bytes);
std::string to_hex(const Hash256& h);
// Accepts upper or lower case; nullopt on odd length or a non-hex digit.
std::optional<std::string> from_hex(std::string_view hex);
std::optional<Hash256> hash_from_hex(std::string_view hex);
inline std::string hash_bytes(const Hash256& h) {
  return std::string(Sha256Builder::as_view(h));
}

// For unordered containers of transaction ids (or any digest): SHA-256 output hashes well by
// its first bytes.
struct TxIdHash {
  size_t operator()(const Hash256& id) const {
    size_t out = 0;
    std::memcpy(&out, id.data(), sizeof out);
    return out;
  }
};

// Merkle root of leaves in order: pairs are hashed as SHA-256(0x01 || left || right), leaves
// enter as SHA-256(0x00 || leaf) so that a leaf can never pass for an inner node; an odd node
// is promoted unchanged. The root of no leaves is 32 zero bytes.
Hash256 merkle_root(const std::vector<Hash256>& leaves);

}  // namespace coopchain
