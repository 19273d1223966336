// The golden chain: a fixed chain of a few hundred varied transactions — farms with Point,
// Polygon and no geometry, certificates of every scheme, harvests, transfers, processing steps
// (wet and dry milling, splits, blends), inspections, suspensions, exports inside and outside
// the EU, and transactions the rules refuse — built from fixed keys, a fixed genesis and a fixed
// seed, executed with the rules every node runs. Its transcript (genesis hash, each
// transaction's verdict, each block's hash and state root) is checked into
// tests/golden/chain.golden: any change to what consensus hashes or decides shows up there.
#pragma once

#include <string>

namespace coopchain::golden {

// The transcript, one line per item:
//   genesis <genesis hash>
//   tx <n> <tx id> <OK or the rule code>      (every transaction offered, in order)
//   block <height> <transactions> <block hash> <state root> <vote sign-bytes hash>
std::string golden_transcript();

}  // namespace coopchain::golden
