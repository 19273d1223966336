#include "coopchain/core/quorum.h"

#include <set>

namespace coopchain {

Status verify_quorum(const QuorumCertificate& qc, const BlockHeader& header,
                     std::string_view chain_id, const std::vector<Validator>& validators) {
  const Hash256 hash = block_hash(header);
  const std::string at = " at height " + std::to_string(header.height);
  if (qc.height != header.height || qc.block_hash != hash) {
    return Status::Corruption("quorum certificate" + at + " certifies another block");
  }
  std::set<std::string> seen;
  for (const Vote& vote : qc.votes) {
    const Validator* validator = find_validator(validators, vote.validator_id);
    if (validator == nullptr) {
      return Status::Corruption("vote" + at + " by \"" + vote.validator_id +
                                "\", which is not a validator");
    }
    if (!seen.insert(vote.validator_id).second) {
      return Status::Corruption("two votes" + at + " by validator " + vote.validator_id);
    }
    if (vote.height != header.height || vote.block_hash != hash) {
      return Status::Corruption("vote" + at + " by " + vote.validator_id + " is for another block");
    }
    // A commit counts the votes of one term (the committing leader's), and no validator votes
    // in a term before the one the block was proposed in.
    const Vote& first = qc.votes.front();
    if (vote.term != first.term) {
      return Status::Corruption("votes" + at + " mix terms: " + first.validator_id + " voted in " +
                                std::to_string(first.term) + ", " + vote.validator_id + " in " +
                                std::to_string(vote.term));
    }
    if (vote.term < header.term) {
      return Status::Corruption("vote" + at + " by " + vote.validator_id + " is in term " +
                                std::to_string(vote.term) + ", before the block's term " +
                                std::to_string(header.term));
    }
    if (!verify_signature(validator->public_key,
                          vote_sign_bytes(chain_id, vote.term, vote.height, vote.block_hash),
                          vote.signature)) {
      return Status::Corruption("vote" + at + " by " + vote.validator_id + " has a bad signature");
    }
  }
  if (seen.size() < quorum_size(validators.size())) {
    return Status::Corruption("quorum certificate" + at + " has " + std::to_string(seen.size()) +
                              " votes; a majority of " + std::to_string(validators.size()) +
                              " validators is " + std::to_string(quorum_size(validators.size())));
  }
  return Status::Ok();
}

Vote sign_vote(const PrivateKey& key, std::string_view validator_id, std::string_view chain_id,
               uint64_t term, uint64_t height, const Hash256& block_hash) {
  Vote v{std::string(validator_id), term, height, block_hash, {}};
  v.signature = key.sign(vote_sign_bytes(chain_id, term, height, block_hash));
  return v;
}

}  // namespace coopchain
