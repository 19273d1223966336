// UTF-8 as the chain reads it, and the characters that change how text around them is shown.
// The rules refuse them in every text field; the CLI escapes them in whatever it prints.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace coopchain {

struct CodePoint {
  uint32_t value = 0;
  size_t length = 0;  // bytes; 0 when the bytes at the position are not well-formed UTF-8
};

// The code point whose UTF-8 encoding starts at text[i]. Overlong forms, surrogates and values
// above U+10FFFF are not well-formed.
CodePoint decode_utf8(std::string_view text, size_t i);

// How many bytes a sequence with this lead byte has (1-4), or 0 for a byte that cannot lead one.
size_t utf8_sequence_length(uint8_t lead);

// C0 and C1 controls (escape sequences start with ESC), DEL, the line and paragraph separators,
// and the bidirectional embeddings, overrides and isolates: what can clear a screen, move the
// cursor or reorder what a reader sees.
bool is_display_control(uint32_t code_point);

}  // namespace coopchain
