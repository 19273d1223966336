// Bad input of every kind gets a clear error with a rule or error code and changes nothing.
#include <gtest/gtest.h>

#include <grpcpp/create_channel.h>
#include <grpcpp/generic/generic_stub.h>

#include <condition_variable>
#include <fstream>
#include <mutex>

#include "coopchain/wire/event_codec.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "harness.h"
#include "signer.h"

namespace coopchain::testing {
namespace {

const std::string kFarm = R"({"registerFarm": {"farmId": "F-001", "plots": [
  {"plotId": "P-1", "areaM2": 20000, "crop": "COFFEE",
   "geometry": {"type": "Point", "coordinates": [-76.52, -6.48]}}]}})";

class BadInputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    before_ = net_.head();
    ledger_ = net_.ledger();
    node_ = net_.node();
    chain_id_ = chain_id_of(*node_);
  }
  void TearDown() override { EXPECT_EQ(net_.head(), before_) << "bad input changed the chain"; }

  // Submits a file through the CLI; expects exit 1 and `code` on stderr.
  void refuse_file(const std::string& content, const std::string& code,
                   const std::string& key_org = "coop-1") {
    const auto file = net_.dir() / "bad.json";
    std::ofstream(file) << content;
    CommandResult r = net_.cli({"submit", file.string(), "--key", net_.key(key_org), "--wait"});
    EXPECT_EQ(r.exit_code, 1) << content << "\n" << r.out << r.err;
    EXPECT_NE(r.err.find(code), std::string::npos) << "expected " << code << ": " << r.err;
  }

  grpc::Status submit_raw(const v1::SignedTransaction& tx) {
    v1::SubmitResponse response;
    return submit_and_wait(*ledger_, tx, &response);
  }

  SingleNodeNetwork net_;
  std::string before_;
  std::unique_ptr<v1::Ledger::Stub> ledger_;
  std::unique_ptr<v1::Node::Stub> node_;
  std::string chain_id_;
};

TEST_F(BadInputTest, MalformedJsonIsMalformed) {
  refuse_file(R"({"harvest": {"lotId": )", "MALFORMED");
}

TEST_F(BadInputTest, UnknownEnumValueIsMalformed) {
  refuse_file(R"({"harvest": {"lotId": "L", "crop": "TEA"}})", "MALFORMED");
}

// The binary path refuses what the JSON path would: a crop number the schema does not name
// once made a farm whose every later harvest aborted the node executing it.
TEST_F(BadInputTest, AnEnumNumberTheSchemaDoesNotNameIsMalformedOnTheBinaryPath) {
  auto events = wire::events_from_json(kFarm);
  ASSERT_TRUE(events.ok());
  v1::Event farm = events->front();
  farm.mutable_register_farm()->mutable_plots(0)->set_crop(static_cast<v1::Crop>(77));
  const PrivateKey key = load_key(net_.key("coop-1"));
  const std::string payload = wire::encode_payload(chain_id_, key.public_key(), 1, farm);
  v1::SignedTransaction tx;
  tx.set_payload(payload);
  tx.set_signature(key.sign(payload));
  grpc::Status st = submit_raw(tx);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(st.error_message().find("MALFORMED"), std::string::npos) << st.error_message();
  EXPECT_NE(st.error_message().find("crop 77"), std::string::npos) << st.error_message();
}

TEST_F(BadInputTest, ControlCharactersDuplicateKeysAndDeepNestingAreMalformed) {
  refuse_file(R"({"registerFarm": {"farmId": "F-9", "farmerRef": "\u001b[2JCERTIFIED ORGANIC",
      "plots": [{"plotId": "P-1", "areaM2": 20000, "crop": "COFFEE",
      "geometry": {"type": "Point", "coordinates": [-76.52, -6.48]}}]}})",
              "farmerRef contains the control character U+001B");
  refuse_file(R"({"transfer": {"lotId": "L", "toOrganization": "coop-2", "massG": 1,
      "massG": 2, "transferredAt": "2026-10-20T14:00:00Z"}})",
              "twice");
  refuse_file(R"({"registerFarm": {"farmId": "F-9", "plots": [{"plotId": "P-1", "areaM2": 1,
      "crop": "COFFEE", "geometry": {"type": "Polygon", "coordinates": )" +
                  std::string(20'000, '[') + std::string(20'000, ']') + "}}]}}",
              "deeper than");
}

TEST_F(BadInputTest, WrongTypeIsMalformed) {
  refuse_file(R"({"harvest": {"lotId": "L", "massG": "heavy"}})", "MALFORMED");
}

TEST_F(BadInputTest, UnknownFieldIsMalformed) {
  refuse_file(R"({"harvest": {"lotId": "L", "colour": "red"}})", "MALFORMED");
}

TEST_F(BadInputTest, MissingFieldsAreMalformed) {
  refuse_file(R"({"harvest": {"lotId": "L"}})", "MALFORMED");
}

TEST_F(BadInputTest, OversizePayloadIsMalformed) {
  std::string big = R"({"registerFarm": {"farmId": "F-BIG", "farmerRef": ")" +
                    std::string(70'000, 'x') +
                    R"(", "plots": [{"plotId": "P", "areaM2": 1, "crop": "COFFEE"}]}})";
  refuse_file(big, "MALFORMED");
}

TEST_F(BadInputTest, OversizeRequestIsRefusedByTheServer) {
  v1::SignedTransaction tx;
  tx.set_payload(std::string(2 << 20, 'x'));
  tx.set_signature(std::string(64, 's'));
  grpc::Status st = submit_raw(tx);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << st.error_message();
}

TEST_F(BadInputTest, GarbagePayloadIsMalformed) {
  v1::SignedTransaction tx;
  tx.set_payload("\xff\xff\xff\xff garbage");
  tx.set_signature(std::string(64, 's'));
  grpc::Status st = submit_raw(tx);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(st.error_message().find("MALFORMED"), std::string::npos) << st.error_message();
}

TEST_F(BadInputTest, TamperedSignatureIsRefused) {
  auto tx = sign_event(load_key(net_.key("coop-1")), chain_id_, kFarm);
  std::string sig = tx.signature();
  sig[5] ^= 0x01;
  tx.set_signature(sig);
  grpc::Status st = submit_raw(tx);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(st.error_message().find("BAD_SIGNATURE"), std::string::npos) << st.error_message();
}

TEST_F(BadInputTest, TamperedPayloadIsRefused) {
  auto tx = sign_event(load_key(net_.key("coop-1")), chain_id_, kFarm);
  auto other = sign_event(load_key(net_.key("coop-1")), chain_id_, kFarm, /*nonce=*/7);
  tx.set_payload(other.payload());  // a valid payload under someone else's signature
  grpc::Status st = submit_raw(tx);
  EXPECT_NE(st.error_message().find("BAD_SIGNATURE"), std::string::npos) << st.error_message();
}

TEST_F(BadInputTest, UnknownKeyIsRefused) {
  const auto key_file = net_.dir() / "stranger.pem";
  CommandResult keygen = run_command({cli_binary(), "keygen", "--out", key_file.string()});
  ASSERT_EQ(keygen.exit_code, 0) << keygen.err;
  auto tx = sign_event(load_key(key_file.string()), chain_id_, kFarm);
  grpc::Status st = submit_raw(tx);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_NE(st.error_message().find("UNKNOWN_SIGNER"), std::string::npos) << st.error_message();
}

TEST_F(BadInputTest, AnotherNetworksTransactionIsRefused) {
  auto tx = sign_event(load_key(net_.key("coop-1")), "some-other-network", kFarm);
  grpc::Status st = submit_raw(tx);
  EXPECT_NE(st.error_message().find("WRONG_CHAIN"), std::string::npos) << st.error_message();
}

TEST_F(BadInputTest, BadTransactionIdIsInvalidArgument) {
  CommandResult r = net_.cli({"tx", "status", "not-a-hash"});
  EXPECT_NE(r.exit_code, 0);
  CommandResult unknown = net_.cli({"tx", "status", std::string(64, 'a')});
  EXPECT_EQ(unknown.exit_code, 1) << unknown.err;
}

TEST_F(BadInputTest, BadUsageExitsTwo) {
  EXPECT_EQ(net_.cli({"frobnicate"}).exit_code, 2);
  EXPECT_EQ(run_command({cli_binary(), "submit"}).exit_code, 2);
  EXPECT_EQ(run_command({daemon_binary(), "--bogus"}).exit_code, 2);
}

// A client that reads only the error details (google.rpc.Status with an ErrorInfo, as gRPC's
// libraries in every language decode them) finds the rule code there, without parsing the
// message.
TEST_F(BadInputTest, TheRuleCodeIsInTheErrorDetails) {
  auto tx = sign_event(load_key(net_.key("coop-1")), chain_id_,
                       R"({"harvest": {"lotId": "L-1", "farmId": "F-NONE", "plotId": "P-1",
                           "crop": "COFFEE", "form": "CHERRY", "massG": 1000,
                           "harvestedAt": ")" +
                           days_ago(1) + R"("}})");
  grpc::Status st = submit_raw(tx);
  ASSERT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(st.error_details())) << "no details";
  EXPECT_EQ(details.code(), static_cast<int>(grpc::StatusCode::FAILED_PRECONDITION));
  ASSERT_EQ(details.details_size(), 1);
  google::rpc::ErrorInfo info;
  ASSERT_TRUE(details.details(0).UnpackTo(&info));
  EXPECT_EQ(info.reason(), "UNKNOWN_FARM");
  EXPECT_EQ(info.domain(), "coopchain.v1");

  // A query's refusal carries its rule code the same way.
  v1::GetLotRequest request;
  request.set_lot_id("NO-SUCH-LOT");
  v1::Lot lot;
  grpc::ClientContext context;
  st = net_.trace()->GetLot(&context, request, &lot);
  ASSERT_EQ(st.error_code(), grpc::StatusCode::NOT_FOUND);
  ASSERT_TRUE(details.ParseFromString(st.error_details()));
  ASSERT_EQ(details.details_size(), 1);
  ASSERT_TRUE(details.details(0).UnpackTo(&info));
  EXPECT_EQ(info.reason(), "UNKNOWN_LOT");
}

// Bytes that are no protobuf message at all, sent to a method that exists, are bad input.
TEST_F(BadInputTest, AGarbageRequestBodyIsInvalidArgument) {
  auto channel = grpc::CreateChannel(net_.address(), grpc::InsecureChannelCredentials());
  grpc::GenericStub generic(channel);
  const std::string garbage = "\xff\xff\xff\xff not a protobuf message";
  for (const char* method : {"/coopchain.v1.Ledger/Submit", "/coopchain.v1.Trace/GetLot",
                             "/coopchain.v1.Ledger/GetTransaction"}) {
    grpc::Slice slice(garbage);
    grpc::ByteBuffer request(&slice, 1);
    grpc::ByteBuffer response;
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    std::mutex mu;
    std::condition_variable cv;
    bool done = false;
    grpc::Status status;
    generic.UnaryCall(&context, method, grpc::StubOptions(), &request, &response,
                      [&](grpc::Status s) {
                        std::lock_guard lock(mu);
                        status = s;
                        done = true;
                        cv.notify_all();
                      });
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return done; });
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << method << ": " << status.error_code() << " " << status.error_message();
  }
}

// Plots collected by other tools are checked before registration with the node's own rules.
TEST_F(BadInputTest, EudrCheckNamesEveryGeometryTheEuWouldRefuse) {
  const auto file = net_.dir() / "plots.geojson";
  std::ofstream(file) << R"({"type": "FeatureCollection", "features": [
    {"type": "Feature", "properties": {"ProductionPlace": "F-1/P-1"}, "geometry": {"type": "Polygon",
     "coordinates": [[[-76.5, -6.4], [-76.5, -6.399], [-76.499, -6.399], [-76.5, -6.4]]]}},
    {"type": "Feature", "properties": {"ProductionPlace": "F-2/P-1"}, "geometry": {"type": "Polygon",
     "coordinates": [[[-76.5, -6.4], [-76.499, -6.399], [-76.499, -6.4], [-76.5, -6.399],
                      [-76.5, -6.4]]]}},
    {"type": "Feature", "properties": {}, "geometry": {"type": "LineString",
     "coordinates": [[-76.5, -6.4], [-76.4, -6.3]]}}]})";
  CommandResult r = run_command({cli_binary(), "eudr", "check", file.string()});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("ok      feature 1 (F-1/P-1)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("feature 2 (F-2/P-1): the ring: the side from vertex 1 crosses"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("feature 3: geometry type must be"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("2 of 3 geometries would be refused"), std::string::npos) << r.err;

  std::ofstream(file, std::ios::trunc) << R"({"type": "Point", "coordinates": [-76.5, -6.4]})";
  EXPECT_EQ(run_command({cli_binary(), "eudr", "check", file.string()}).exit_code, 0);
}

}  // namespace
}  // namespace coopchain::testing
