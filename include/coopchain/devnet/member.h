// What one organization makes on its own machine to found or join a network — `coopchain node
// init` for one organization, `coopchain devnet init` for each of a local network's: its signing
// key and, for an organization that runs a node, the node's vote key and self-signed TLS
// identity, whose pin the chain records. The member card holds the public parts only; the
// genesis is assembled from the cards (wire::genesis_from_cards). Nothing here writes a file.
#pragma once

#include <optional>
#include <string>

#include "coopchain/core/ed25519.h"
#include "coopchain/core/status.h"
#include "coopchain/core/x509.h"
#include "coopchain/v1/genesis.pb.h"

namespace coopchain::devnet {

struct MemberSpec {
  std::string org_id;
  std::string name;
  std::string kind = "COOPERATIVE";  // COOPERATIVE, PROCESSOR, CERTIFIER, EXPORTER, AUDITOR
  bool accredited = false;           // a certifier accredited for every scheme from the genesis
  std::string node_id;               // empty: the organization runs no node
  std::string peer_address;          // where the other nodes reach its node (HOST:PORT)
};

struct NodeIdentity {
  PrivateKey vote_key;
  PemPair tls;  // self-signed; its common name is the node id
};

struct Member {
  v1::MemberCard card;
  PrivateKey signing_key;
  std::optional<NodeIdentity> node;
};

// A node's certificate outlives its hardware: its identity is its key's pin, not the dates.
inline constexpr int kNodeCertificateDays = 20 * 365;

Result<Member> make_member(const MemberSpec& spec);

}  // namespace coopchain::devnet
