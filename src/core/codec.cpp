#include "coopchain/core/codec.h"

namespace coopchain {

Writer& Writer::u8(uint8_t v) {
  out_.push_back(static_cast<char>(v));
  return *this;
}

Writer& Writer::u32(uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out_.push_back(static_cast<char>(v >> shift));
  return *this;
}

Writer& Writer::u64(uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out_.push_back(static_cast<char>(v >> shift));
  return *this;
}

Writer& Writer::bytes(std::string_view v) {
  u32(static_cast<uint32_t>(v.size()));
  out_.append(v);
  return *this;
}

Writer& Writer::hash(const Hash256& h) {
  out_.append(Sha256Builder::as_view(h));
  return *this;
}

bool Reader::need(size_t n) {
  if (failed_ || in_.size() - pos_ < n) {
    failed_ = true;
    return false;
  }
  return true;
}

uint8_t Reader::u8() {
  if (!need(1)) return 0;
  return static_cast<uint8_t>(in_[pos_++]);
}

uint32_t Reader::u32() {
  if (!need(4)) return 0;
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<uint8_t>(in_[pos_++]);
  return v;
}

uint64_t Reader::u64() {
  if (!need(8)) return 0;
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<uint8_t>(in_[pos_++]);
  return v;
}

std::string Reader::bytes() {
  uint32_t n = u32();
  if (!need(n)) return {};
  std::string out(in_.substr(pos_, n));
  pos_ += n;
  return out;
}

Hash256 Reader::hash() {
  Hash256 h{};
  if (!need(h.size())) return h;
  for (auto& b : h) b = static_cast<uint8_t>(in_[pos_++]);
  return h;
}

size_t Reader::count(size_t min_item_size) {
  uint32_t n = u32();
  if (failed_) return 0;
  if (min_item_size > 0 && n > (in_.size() - pos_) / min_item_size) {
    failed_ = true;
    return 0;
  }
  return n;
}

}  // namespace coopchain
