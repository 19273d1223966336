// The messages validators exchange. Pure data: the transport (net) serializes them, the
// simulator passes them by value.
#pragma once

#include <string>
#include <variant>
#include <vector>

#include "coopchain/core/block.h"

namespace coopchain::consensus {

// Pre-vote: "would you vote for me in term `term`?" — asked without raising anyone's term, so
// that a node cut off on a bad link cannot depose a healthy leader when it comes back.
struct PreVoteRequest {
  uint64_t term = 0;  // the term the candidate would start
  uint64_t last_height = 0;
  uint64_t last_term = 0;
};

struct PreVoteResponse {
  uint64_t term = 0;  // granted: the term asked about; refused: the responder's current term
  bool granted = false;
};

struct VoteRequest {
  uint64_t term = 0;
  uint64_t last_height = 0;
  uint64_t last_term = 0;
};

struct VoteResponse {
  uint64_t term = 0;
  bool granted = false;
};

// The leader's blocks after prev_height, and the certificates of blocks it has committed that
// the follower has not (so the follower can commit them too). With two or three validators,
// `leader_votes` are the leader's signed votes in its term for the uncommitted ones of `blocks`:
// with the follower's own they make a majority.
struct AppendRequest {
  uint64_t term = 0;
  uint64_t prev_height = 0;
  Hash256 prev_hash{};
  std::vector<Block> blocks;
  uint64_t leader_commit = 0;
  std::vector<QuorumCertificate> certificates;
  std::vector<Vote> leader_votes = {};
};

// `votes` are the follower's signed votes, in the leader's term, for every block it holds in
// (leader_commit, match_height]; a follower votes only for blocks it re-executed and found valid.
struct AppendResponse {
  uint64_t term = 0;
  bool success = false;
  uint64_t match_height = 0;  // on failure: the height the leader should try next minus one
  uint64_t commit_height = 0;
  std::vector<Vote> votes;
};

using Payload = std::variant<PreVoteRequest, PreVoteResponse, VoteRequest, VoteResponse,
                             AppendRequest, AppendResponse>;

struct Message {
  std::string from;
  std::string to;
  Payload payload;
};

}  // namespace coopchain::consensus
