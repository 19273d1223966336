#include "escaping_output.h"

#include <cstdio>

#include "coopchain/core/text.h"

namespace coopchain::cli {

EscapingStreambuf::~EscapingStreambuf() {
  sync();
}

void EscapingStreambuf::write_sequence() {
  const CodePoint c = decode_utf8(pending_, 0);
  const bool layout = c.length == 1 && (c.value == '\n' || c.value == '\t');
  if (c.length != 0 && is_display_control(c.value) && !layout) {
    char escaped[8];
    std::snprintf(escaped, sizeof escaped, "\\u%04X", static_cast<unsigned>(c.value));
    target_->sputn(escaped, 6);
  } else {
    target_->sputn(pending_.data(), static_cast<std::streamsize>(pending_.size()));
  }
  pending_.clear();
  expected_ = 0;
}

EscapingStreambuf::int_type EscapingStreambuf::overflow(int_type ch) {
  if (traits_type::eq_int_type(ch, traits_type::eof())) return traits_type::not_eof(ch);
  const auto byte = static_cast<uint8_t>(traits_type::to_char_type(ch));
  if (!pending_.empty() && (byte & 0xC0) != 0x80) write_sequence();  // a sequence cut short
  if (pending_.empty()) {
    expected_ = utf8_sequence_length(byte);
    if (expected_ == 0) expected_ = 1;  // a stray byte is written as it is
  }
  pending_.push_back(static_cast<char>(byte));
  if (pending_.size() >= expected_) write_sequence();
  return ch;
}

int EscapingStreambuf::sync() {
  if (!pending_.empty()) write_sequence();
  return target_->pubsync();
}

EscapedStream::EscapedStream(std::ostream& stream)
    : stream_(stream), original_(stream.rdbuf()), escaping_(original_) {
  stream_.rdbuf(&escaping_);
}

EscapedStream::~EscapedStream() {
  stream_.flush();
  stream_.rdbuf(original_);
}

}  // namespace coopchain::cli
