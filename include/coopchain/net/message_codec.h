// The canonical encoding of consensus messages on the wire between validators (the body of a
// PeerFrame). A version byte, a kind byte, then the fields in core's canonical encoding; blocks
// and certificates travel in the same bytes the chain stores and hashes.
#pragma once

#include <string>
#include <string_view>

#include "coopchain/consensus/messages.h"
#include "coopchain/core/status.h"

namespace coopchain::net {

// 2: appends carry the leader's votes.
inline constexpr uint8_t kMessageVersion = 2;

std::string encode_message(const consensus::Payload& payload);
// An error says what is wrong; the transport logs it and drops the frame.
Result<consensus::Payload> decode_message(std::string_view bytes);

}  // namespace coopchain::net
