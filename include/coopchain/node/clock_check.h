// A validator whose clock is off stalls the chain or refuses honest events (docs/operations.md,
// Clock). These decide, from what a node can see at start, whether its clock is too far off to
// run as a validator, and say why in the operator's terms.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "coopchain/core/x509.h"
#include "coopchain/net/peer_network.h"

namespace coopchain {

// Set when at least a majority of all `validators` (this node's peers that answered) read
// clocks more than `limit_ms` away from this node's: this node's clock is the odd one out.
std::optional<std::string> clock_disagreement(const std::vector<net::ClockOffset>& offsets,
                                              size_t validators, int64_t limit_ms);

// Set when `now_s` is outside this node's own TLS certificate's validity: every peer's
// certificate, issued alike, looks not yet valid (or expired) to it, and every handshake fails.
std::optional<std::string> clock_outside_certificate(int64_t now_s,
                                                     const CertificateValidity& validity);

}  // namespace coopchain
