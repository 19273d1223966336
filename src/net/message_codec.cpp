#include "coopchain/net/message_codec.h"

#include "coopchain/core/codec.h"

namespace coopchain::net {
namespace {

enum Kind : uint8_t {
  kPreVoteRequest = 1,
  kPreVoteResponse = 2,
  kVoteRequest = 3,
  kVoteResponse = 4,
  kAppendRequest = 5,
  kAppendResponse = 6,
};

// The smallest encodings of a block and a vote, for refusing impossible counts early.
constexpr size_t kMinBlockBytes = 4;
constexpr size_t kMinVoteBytes = 4 + 8 + 8 + 32 + 4;

}  // namespace

std::string encode_message(const consensus::Payload& payload) {
  Writer w;
  w.u8(kMessageVersion);
  std::visit(
      [&](const auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, consensus::PreVoteRequest>) {
          w.u8(kPreVoteRequest).u64(m.term).u64(m.last_height).u64(m.last_term);
        } else if constexpr (std::is_same_v<T, consensus::PreVoteResponse>) {
          w.u8(kPreVoteResponse).u64(m.term).boolean(m.granted);
        } else if constexpr (std::is_same_v<T, consensus::VoteRequest>) {
          w.u8(kVoteRequest).u64(m.term).u64(m.last_height).u64(m.last_term);
        } else if constexpr (std::is_same_v<T, consensus::VoteResponse>) {
          w.u8(kVoteResponse).u64(m.term).boolean(m.granted);
        } else if constexpr (std::is_same_v<T, consensus::AppendRequest>) {
          w.u8(kAppendRequest).u64(m.term).u64(m.prev_height).hash(m.prev_hash);
          w.count(m.blocks.size());
          for (const Block& b : m.blocks) w.bytes(encode_block(b));
          w.u64(m.leader_commit);
          w.count(m.certificates.size());
          for (const auto& qc : m.certificates) w.bytes(encode_qc(qc));
          w.count(m.leader_votes.size());
          for (const Vote& v : m.leader_votes) encode_vote(w, v);
        } else if constexpr (std::is_same_v<T, consensus::AppendResponse>) {
          w.u8(kAppendResponse).u64(m.term).boolean(m.success).u64(m.match_height);
          w.u64(m.commit_height).count(m.votes.size());
          for (const Vote& v : m.votes) encode_vote(w, v);
        }
      },
      payload);
  return std::move(w).data();
}

Result<consensus::Payload> decode_message(std::string_view bytes) {
  Reader r(bytes);
  const uint8_t version = r.u8();
  if (!r.failed() && version != kMessageVersion) {
    return Status::InvalidArgument("peer message version " + std::to_string(version) + " is not " +
                                   std::to_string(kMessageVersion));
  }
  consensus::Payload payload;
  switch (r.u8()) {
    case kPreVoteRequest: {
      consensus::PreVoteRequest m;
      m.term = r.u64();
      m.last_height = r.u64();
      m.last_term = r.u64();
      payload = m;
      break;
    }
    case kPreVoteResponse: {
      consensus::PreVoteResponse m;
      m.term = r.u64();
      m.granted = r.boolean();
      payload = m;
      break;
    }
    case kVoteRequest: {
      consensus::VoteRequest m;
      m.term = r.u64();
      m.last_height = r.u64();
      m.last_term = r.u64();
      payload = m;
      break;
    }
    case kVoteResponse: {
      consensus::VoteResponse m;
      m.term = r.u64();
      m.granted = r.boolean();
      payload = m;
      break;
    }
    case kAppendRequest: {
      consensus::AppendRequest m;
      m.term = r.u64();
      m.prev_height = r.u64();
      m.prev_hash = r.hash();
      const size_t blocks = r.count(kMinBlockBytes);
      for (size_t i = 0; i < blocks && !r.failed(); ++i) {
        auto block = decode_block(r.bytes());
        if (!block.ok())
          return Status::InvalidArgument("block " + std::to_string(i) + ": " +
                                         block.status().message());
        m.blocks.push_back(std::move(block).value());
      }
      m.leader_commit = r.u64();
      const size_t certificates = r.count(kMinBlockBytes);
      for (size_t i = 0; i < certificates && !r.failed(); ++i) {
        auto qc = decode_qc(r.bytes());
        if (!qc.ok())
          return Status::InvalidArgument("certificate " + std::to_string(i) + ": " +
                                         qc.status().message());
        m.certificates.push_back(std::move(qc).value());
      }
      const size_t leader_votes = r.count(kMinVoteBytes);
      for (size_t i = 0; i < leader_votes && !r.failed(); ++i) {
        m.leader_votes.push_back(decode_vote(r));
      }
      payload = std::move(m);
      break;
    }
    case kAppendResponse: {
      consensus::AppendResponse m;
      m.term = r.u64();
      m.success = r.boolean();
      m.match_height = r.u64();
      m.commit_height = r.u64();
      const size_t votes = r.count(kMinVoteBytes);
      for (size_t i = 0; i < votes && !r.failed(); ++i) m.votes.push_back(decode_vote(r));
      payload = std::move(m);
      break;
    }
    default:
      return Status::InvalidArgument("unknown peer message kind");
  }
  if (!r.at_end_ok()) return Status::InvalidArgument("truncated or overlong peer message");
  return payload;
}

}  // namespace coopchain::net
