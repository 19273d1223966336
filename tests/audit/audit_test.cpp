// The auditor's replay over real RocksDB data dirs and real archive files: an honest chain
// passes from every source, and each kind of tampering — made on disk, as an attacker with file
// access would — fails at the right height and says what was wrong.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>

#include "chain_fixture.h"
#include "coopchain/audit/archive.h"
#include "coopchain/audit/replay.h"
#include "coopchain/audit/store_source.h"
#include "coopchain/core/codec.h"
#include "coopchain/core/quorum.h"
#include "coopchain/state/world.h"
#include "event_json.h"

namespace coopchain::testing {
namespace {

namespace fs = std::filesystem;
using audit::AuditReport;

constexpr int kHarvestBlocks = 20;  // blocks 6..25
constexpr uint64_t kHead = 5 + kHarvestBlocks;
constexpr size_t kHeaderTimeOffset = 108;  // u32 version, u64 height, three hashes

class AuditTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    pristine_dir_ = new TempDir();
    auto chain = build_fixture_chain(pristine_dir_->sub("data"), kHarvestBlocks);
    ASSERT_TRUE(chain.ok()) << chain.status().to_string();
    pristine_ = new FixtureChain(std::move(chain).value());
  }
  static void TearDownTestSuite() {
    delete pristine_;
    delete pristine_dir_;
  }

  // A copy of the pristine data dir to tamper with.
  std::string copy_of_chain() {
    const std::string dir = work_.sub("copy-" + std::to_string(copies_++));
    fs::copy(pristine_->dir, dir, fs::copy_options::recursive);
    return dir;
  }

  static AuditReport audit_dir(const std::string& dir, const Genesis& genesis,
                               unsigned threads = 2) {
    auto source = audit::StoreChainSource::open(dir);
    EXPECT_TRUE(source.ok()) << source.status().to_string();
    if (!source.ok()) return {};
    return audit::audit_chain(genesis, **source, &(*source)->store(), {threads, 16, true});
  }
  static AuditReport audit_dir(const std::string& dir) {
    return audit_dir(dir, pristine_->genesis);
  }

  static AuditReport audit_archive(const std::string& path) {
    auto source = audit::ArchiveReader::open(path);
    if (!source.ok()) {
      AuditReport r;
      r.failure = audit::Finding{0, source.status().message(), {}};
      return r;
    }
    return audit::audit_chain(pristine_->genesis, **source, nullptr, {2, 16, true});
  }

  std::string export_pristine() {
    const std::string path = work_.sub("chain-" + std::to_string(copies_++) + ".cca");
    auto source = audit::StoreChainSource::open(pristine_->dir);
    EXPECT_TRUE(source.ok());
    auto summary = audit::export_archive(**source, path);
    EXPECT_TRUE(summary.ok()) << summary.status().to_string();
    return path;
  }

  static void flip_byte(std::string& bytes, size_t at) { bytes.at(at) ^= 0x01; }

  // A copy of the chain with one bit flipped in the stored value of `key` in column family
  // `cf`, at the offset `at` picks from the value.
  std::string copy_with_flip(const std::string& cf, const std::string& key,
                             const std::function<size_t(const std::string&)>& at) {
    const std::string dir = copy_of_chain();
    RawStore raw(dir);
    std::string value = raw.get(cf, key);
    flip_byte(value, at(value));
    raw.put(cf, key, value);
    return dir;
  }
  static size_t last_byte(const std::string& value) { return value.size() - 1; }

  static void expect_failure_at(const AuditReport& r, uint64_t height, const std::string& what) {
    ASSERT_FALSE(r.ok()) << "the tampered chain passed the audit";
    EXPECT_EQ(r.failure->height, height) << r.failure->what;
    EXPECT_NE(r.failure->what.find(what), std::string::npos)
        << "expected \"" << what << "\" in: " << r.failure->what;
    EXPECT_EQ(r.blocks, height) << "every block below the bad one holds";
  }

  static FixtureChain* pristine_;
  static TempDir* pristine_dir_;
  TempDir work_;
  int copies_ = 0;
};

FixtureChain* AuditTest::pristine_ = nullptr;
TempDir* AuditTest::pristine_dir_ = nullptr;

// ---- Honest chains ---------------------------------------------------------------------------

TEST_F(AuditTest, HonestChainPassesFromTheDatabaseWithEveryCheck) {
  const AuditReport r = audit_dir(pristine_->dir);
  ASSERT_TRUE(r.ok()) << r.failure->height << ": " << r.failure->what;
  EXPECT_EQ(r.blocks, kHead + 1);
  EXPECT_EQ(r.head.height, kHead);
  EXPECT_EQ(r.transactions, pristine_->transactions);
  EXPECT_EQ(r.votes, 2 * kHead);
  EXPECT_EQ(r.signatures, r.transactions + r.votes);
  EXPECT_TRUE(r.store_checked);
  EXPECT_GT(r.state_entries, 0u);
  EXPECT_EQ(r.events_by_type.at("harvest"), 1u + 3 * kHarvestBlocks);
  EXPECT_EQ(r.events_by_type.at("export"), 1u);
  EXPECT_EQ(r.events_by_type.at("issueCertificate"), 3u);
  EXPECT_EQ(r.events_by_type.at("processing"), 2u);
  ASSERT_EQ(r.validator_sets.size(), 1u) << "the genesis's validators throughout";
  EXPECT_EQ(r.validator_sets[0].from_height, 1u);

  std::map<std::string, audit::LotBalance> lots;
  for (const auto& lot : r.lots) lots[lot.lot_id] = lot;
  ASSERT_EQ(lots.size(), 3u + 3 * kHarvestBlocks);
  EXPECT_EQ(lots["H-1"].in_g, 1'200'000u);
  EXPECT_EQ(lots["H-1"].out_g, 1'200'000u);
  EXPECT_EQ(lots["H-1"].held_g, 0u);
  EXPECT_EQ(lots["GR-1"].in_g, 210'000u);
  EXPECT_EQ(lots["GR-1"].out_g, 200'000u);
  EXPECT_EQ(lots["GR-1"].held_g, 10'000u);
  EXPECT_EQ(lots["GR-1"].claims, std::vector<std::string>{"EU_ORGANIC"});
  EXPECT_EQ(r.certificate_lots.at("C-COOP").count("H-1"), 1u);
  EXPECT_EQ(r.certificate_lots.at("C-MILL").count("GR-1"), 1u);
}

// One cooperative once split 1 g off the same lot 12,000 times: its record grew without bound
// (GetLot took 2.1 s). A lot now keeps its latest 64 history entries and moves older ones to
// their own keys; the audit's mass balance still reads every one of them.
TEST_F(AuditTest, ALotWithALongHistoryKeepsItsMassBalance) {
  TempDir copy;
  auto chain = build_fixture_chain(copy.sub("long"), 1);
  ASSERT_TRUE(chain.ok()) << chain.status().to_string();
  std::vector<std::pair<std::string, std::string>> splits;
  for (int i = 0; i < 150; ++i) {
    splits.emplace_back(
        "coop-1", processing_json("S-" + std::to_string(i), lot_amount_json("HX-0-0", 1), "SPLIT",
                                  "CHERRY", 1, "2026-11-02T09:00:00Z", "[]"));
  }
  ASSERT_TRUE(append_colluded_block(*chain, splits).ok());
  {
    auto store = BlockStore::open({chain->dir});
    ASSERT_TRUE(store.ok());
    auto lot = WorldView(**store).lot("HX-0-0");
    ASSERT_TRUE(lot.has_value());
    EXPECT_EQ(lot->mass_g, 10'000u - 150u);
    EXPECT_EQ(lot->history.size(), kLotHistoryInline);
    EXPECT_EQ(lot->earlier_events, 151u - kLotHistoryInline);  // the harvest and 150 splits
    const auto history = WorldView(**store).full_history(*lot);
    ASSERT_EQ(history.size(), 151u);
    EXPECT_EQ(history.front().kind, LotEventKind::kHarvest);
    EXPECT_EQ(history.back().lot_id, "S-149");
  }
  const AuditReport r = audit_dir(chain->dir, chain->genesis);
  EXPECT_TRUE(r.ok()) << r.failure->what;
}

TEST_F(AuditTest, HonestChainPassesFromItsArchive) {
  const AuditReport r = audit_archive(export_pristine());
  ASSERT_TRUE(r.ok()) << r.failure->height << ": " << r.failure->what;
  EXPECT_EQ(r.head, audit_dir(pristine_->dir).head);
  EXPECT_EQ(r.transactions, pristine_->transactions);
  EXPECT_FALSE(r.store_checked);
}

TEST_F(AuditTest, OneThreadAndManyReachTheSameVerdict) {
  const AuditReport one = audit_dir(pristine_->dir, pristine_->genesis, 1);
  const AuditReport four = audit_dir(pristine_->dir, pristine_->genesis, 4);
  ASSERT_TRUE(one.ok());
  ASSERT_TRUE(four.ok());
  EXPECT_EQ(one.head, four.head);
  EXPECT_EQ(one.signatures, four.signatures);

  const std::string dir = copy_with_flip("blocks", RawStore::height_key(17), last_byte);
  EXPECT_EQ(audit_dir(dir, pristine_->genesis, 1).failure->height, 17u);
  EXPECT_EQ(audit_dir(dir, pristine_->genesis, 4).failure->height, 17u);
}

// ---- Tampered databases ----------------------------------------------------------------------

TEST_F(AuditTest, FlippedByteInATransactionPayloadFailsAtItsBlock) {
  const std::string dir = copy_with_flip("blocks", RawStore::height_key(3), [](const auto& block) {
    // The header, the transaction count, the payload's length, then 20 bytes into it.
    return encode_header(decode_block(block)->header).size() + 4 + 4 + 20;
  });
  expect_failure_at(audit_dir(dir), 3, "transaction root");
}

TEST_F(AuditTest, FlippedByteInATransactionSignatureFailsAtItsBlock) {
  // The last bytes of a block are its last transaction's signature.
  const std::string dir = copy_with_flip("blocks", RawStore::height_key(4), last_byte);
  expect_failure_at(audit_dir(dir), 4, "BAD_SIGNATURE");
}

TEST_F(AuditTest, FlippedByteInABlockHeaderFailsAtThatBlock) {
  // One millisecond later: still a plausible block, but not the one the validators signed.
  const std::string dir = copy_with_flip("blocks", RawStore::height_key(9),
                                         [](const auto&) { return kHeaderTimeOffset + 7; });
  expect_failure_at(audit_dir(dir), 9, "certifies another block");
}

TEST_F(AuditTest, FlippedByteInAVoteFailsAtItsBlock) {
  // The last bytes of a certificate are its last vote's signature.
  const std::string dir = copy_with_flip("qc", RawStore::height_key(12), last_byte);
  expect_failure_at(audit_dir(dir), 12, "bad signature");
}

TEST_F(AuditTest, FlippedByteInAStateValueFailsAtTheBlockThatWroteIt) {
  const std::string dir =
      copy_with_flip("state", "lot/GR-1", [](const auto& lot) { return lot.size() / 2; });
  // GR-1 was last written by the export in block 5.
  const AuditReport r = audit_dir(dir);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.failure->height, 5u);
  EXPECT_NE(r.failure->what.find("lot/GR-1"), std::string::npos) << r.failure->what;
  EXPECT_FALSE(r.store_checked);
}

TEST_F(AuditTest, RemovedVoteThatDropsTheCertificateBelowAMajorityFails) {
  const std::string dir = copy_of_chain();
  {
    RawStore raw(dir);
    auto qc = decode_qc(raw.get("qc", RawStore::height_key(14)));
    ASSERT_TRUE(qc.ok());
    qc->votes.pop_back();
    raw.put("qc", RawStore::height_key(14), encode_qc(*qc));
  }
  expect_failure_at(audit_dir(dir), 14, "has 1 votes; a majority of 3 validators is 2");
}

// A copy of the chain whose last vote at `height` is replaced by one for the same block signed
// by an intruder's key, in the name of `claimed_id` ("" keeps the honest validator's name).
std::string with_forged_vote(const std::string& dir, uint64_t height, const std::string& claimed_id,
                             const std::string& chain_id) {
  RawStore raw(dir);
  auto qc = decode_qc(raw.get("qc", RawStore::height_key(height)));
  EXPECT_TRUE(qc.ok());
  const Vote honest = qc->votes.back();
  qc->votes.back() =
      sign_vote(named_key("intruder"), claimed_id.empty() ? honest.validator_id : claimed_id,
                chain_id, honest.term, honest.height, honest.block_hash);
  raw.put("qc", RawStore::height_key(height), encode_qc(*qc));
  return dir;
}

TEST_F(AuditTest, VoteSignedByANonValidatorFails) {
  const std::string dir =
      with_forged_vote(copy_of_chain(), 6, "intruder", pristine_->genesis.chain_id);
  expect_failure_at(audit_dir(dir), 6, "not a validator");
}

TEST_F(AuditTest, VoteInAValidatorsNameSignedWithAnotherKeyFails) {
  const std::string dir = with_forged_vote(copy_of_chain(), 7, "", pristine_->genesis.chain_id);
  expect_failure_at(audit_dir(dir), 7, "bad signature");
}

// Every vote is a validator's own and well signed, but the two are from different terms: no
// leader ever counted them together, so they are no commit.
TEST_F(AuditTest, CertificateWhoseVotesMixTermsFails) {
  const std::string dir = copy_of_chain();
  {
    RawStore raw(dir);
    auto qc = decode_qc(raw.get("qc", RawStore::height_key(8)));
    ASSERT_TRUE(qc.ok());
    ASSERT_GE(qc->votes.size(), 2u);
    Vote& last = qc->votes.back();
    last = sign_vote(named_key(last.validator_id), last.validator_id, pristine_->genesis.chain_id,
                     last.term + 1, last.height, last.block_hash);
    raw.put("qc", RawStore::height_key(8), encode_qc(*qc));
  }
  expect_failure_at(audit_dir(dir), 8, "mix terms");
}

TEST_F(AuditTest, ReorderedPairOfBlocksFailsAtTheFirstOfThem) {
  const std::string dir = copy_of_chain();
  {
    RawStore raw(dir);
    for (const char* cf : {"blocks", "qc"}) {
      const std::string a = raw.get(cf, RawStore::height_key(10));
      const std::string b = raw.get(cf, RawStore::height_key(11));
      raw.put(cf, RawStore::height_key(10), b);
      raw.put(cf, RawStore::height_key(11), a);
    }
  }
  expect_failure_at(audit_dir(dir), 10, "says it is height 11");
}

TEST_F(AuditTest, MissingTransactionIndexEntryFailsAtItsBlock) {
  const std::string dir = copy_of_chain();
  {
    RawStore raw(dir);
    auto block = decode_block(raw.get("blocks", RawStore::height_key(8)));
    ASSERT_TRUE(block.ok());
    raw.erase("tx_index", hash_bytes(block->txs[1].id()));
  }
  expect_failure_at(audit_dir(dir), 8, "transaction index");
}

TEST_F(AuditTest, StrayIndexEntryFails) {
  const std::string dir = copy_of_chain();
  {
    RawStore raw(dir);
    Writer loc;
    loc.u64(3).u32(0);
    raw.put("tx_index", hash_bytes(sha256("no such transaction")), loc.data());
  }
  const AuditReport r = audit_dir(dir);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.failure->what.find("which no block holds"), std::string::npos) << r.failure->what;
}

TEST_F(AuditTest, ValidChainAgainstAnotherNetworksGenesisFailsAtGenesis) {
  const AuditReport r = audit_dir(pristine_->dir, fixture_genesis("another-network"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.failure->height, 0u);
  EXPECT_NE(r.failure->what.find("chain of genesis"), std::string::npos) << r.failure->what;
  EXPECT_EQ(r.blocks, 0u);
}

TEST_F(AuditTest, BlockThatBreaksARuleFailsEvenWithAValidCertificate) {
  TempDir dir;
  auto chain = build_fixture_chain(dir.sub("data"), 2);
  ASSERT_TRUE(chain.ok()) << chain.status().to_string();
  // GR-1 holds 10 kg after the export; colluding validators let a second export take 50 kg.
  Status st = append_colluded_block(
      *chain, {{"exp-1", R"({"export": {"exportId": "EXP-2", "lots": [{"lotId": "GR-1",
                 "massG": 50000}], "destinationCountry": "DE", "destinationPort": "DEHAM",
                 "buyer": "Roastery GmbH", "hsCode": "090111",
                 "shippedAt": "2026-11-03T10:00:00Z", "claims": []}})"}});
  ASSERT_TRUE(st.ok()) << st.to_string();
  const AuditReport r = audit_dir(chain->dir, chain->genesis);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.failure->height, chain->head_height);
  EXPECT_NE(r.failure->what.find("breaks a rule"), std::string::npos) << r.failure->what;
  EXPECT_NE(r.failure->what.find("MASS_BALANCE"), std::string::npos) << r.failure->what;
}

// coop-1, the one cooperative, removes node-3 (down, say); the blocks after are certified by node-1
// and node-2, a majority of the two validators left, and the audit checks each certificate against
// the set in force for its block and reports both sets.
TEST_F(AuditTest, TheReportFollowsTheValidatorsInForcePerHeight) {
  TempDir dir;
  auto chain = build_fixture_chain(dir.sub("data"), 1);
  ASSERT_TRUE(chain.ok()) << chain.status().to_string();
  const uint64_t removed_at = chain->head_height + 1;
  ASSERT_TRUE(append_colluded_block(*chain, {{"coop-1", R"({"proposeChange": {"proposalId": "N-1",
                              "expiresAt": "2027-01-01T00:00:00Z",
                              "changes": [{"removeNode": {"nodeId": "node-3"}}]}})"}})
                  .ok());
  ASSERT_TRUE(append_colluded_block(*chain, {{"coop-1", R"({"registerFarm": {"farmId": "F-N1",
                  "plots": [{"plotId": "P-1", "areaM2": 10000, "crop": "COFFEE"}]}})"}})
                  .ok());
  const AuditReport r = audit_dir(chain->dir, chain->genesis);
  ASSERT_TRUE(r.ok()) << r.failure->height << ": " << r.failure->what;
  ASSERT_EQ(r.validator_sets.size(), 2u);
  EXPECT_EQ(r.validator_sets[0].from_height, 1u);
  EXPECT_EQ(r.validator_sets[0].validators,
            (std::vector<std::string>{"node-1", "node-2", "node-3"}));
  EXPECT_EQ(r.validator_sets[1].from_height, removed_at + 1);
  EXPECT_EQ(r.validator_sets[1].validators, (std::vector<std::string>{"node-1", "node-2"}));
  ASSERT_EQ(r.proposals.size(), 1u);
  EXPECT_EQ(r.proposals[0].closed_height, removed_at);
}

// ---- Archives --------------------------------------------------------------------------------

// The byte offset of each BLOCK record in an archive, by height.
std::vector<size_t> block_record_offsets(const std::string& bytes) {
  std::vector<size_t> offsets;
  size_t at = audit::kArchiveMagic.size() + 4;
  while (at + 5 <= bytes.size()) {
    Reader r(std::string_view(bytes).substr(at, 5));
    const uint8_t type = r.u8();
    const uint32_t length = r.u32();
    if (type == static_cast<uint8_t>(audit::ArchiveRecordType::kBlock)) offsets.push_back(at);
    at += 5 + length;
  }
  return offsets;
}

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_all(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

TEST_F(AuditTest, ArchiveTruncatedInTheMiddleOfARecordFailsAtThatRecord) {
  const std::string path = export_pristine();
  const std::string bytes = read_all(path);
  const std::vector<size_t> offsets = block_record_offsets(bytes);
  ASSERT_EQ(offsets.size(), kHead + 1);
  for (uint64_t height : {uint64_t{1}, uint64_t{13}, kHead}) {
    fs::resize_file(path, offsets[height] + 40);
    expect_failure_at(audit_archive(path), height,
                      "ends in the middle of the block " + std::to_string(height) + " record");
    write_all(path, bytes);
  }
}

TEST_F(AuditTest, ArchiveCutAtARecordBoundaryFailsForTheMissingEnd) {
  const std::string path = export_pristine();
  const std::string bytes = read_all(path);
  const std::vector<size_t> offsets = block_record_offsets(bytes);
  fs::resize_file(path, offsets[20]);
  expect_failure_at(audit_archive(path), 20, "cut short");
}

TEST_F(AuditTest, FlippedByteInAnArchivedBlockFailsAtThatBlock) {
  const std::string path = export_pristine();
  std::string bytes = read_all(path);
  const std::vector<size_t> offsets = block_record_offsets(bytes);
  // Record header (5), the height label (8), the block's length (4), then the header's time.
  flip_byte(bytes, offsets[16] + 5 + 8 + 4 + kHeaderTimeOffset + 7);
  write_all(path, bytes);
  expect_failure_at(audit_archive(path), 16, "certifies another block");
}

TEST_F(AuditTest, ArchiveOfAnotherFormatOrNoneIsRefused) {
  const std::string path = work_.sub("not-an-archive");
  write_all(path, "hello");
  EXPECT_FALSE(audit::ArchiveReader::open(path).ok());
  const std::string archive = export_pristine();
  std::string bytes = read_all(archive);
  bytes[audit::kArchiveMagic.size() + 3] = 9;  // version 9
  write_all(archive, bytes);
  auto opened = audit::ArchiveReader::open(archive);
  ASSERT_FALSE(opened.ok());
  EXPECT_NE(opened.status().message().find("version 9"), std::string::npos);
}

TEST_F(AuditTest, FailedExportLeavesNoArchiveBehind) {
  const std::string dir = copy_of_chain();
  {
    RawStore raw(dir);
    raw.erase("blocks", RawStore::height_key(7));
  }
  auto source = audit::StoreChainSource::open(dir);
  ASSERT_TRUE(source.ok());
  const std::string path = work_.sub("broken.cca");
  EXPECT_FALSE(audit::export_archive(**source, path).ok());
  EXPECT_FALSE(fs::exists(path));
  EXPECT_FALSE(fs::exists(path + ".partial"));
}

}  // namespace
}  // namespace coopchain::testing
