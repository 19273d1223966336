// Nodes by governance: learners and observers admitted, a learner promoted, a node removed or its
// identity rotated. Consensus-visible: the validators in force for each block come from what these
// changes write (validators_for), one validator change at a time.
#include "coopchain/state/world.h"
#include "test_chain.h"

namespace coopchain::testing {
namespace {

std::string vote_key_of(const std::string& node) {
  return key_for("vote/" + node).public_key();
}
std::string pin_of(const std::string& node) {
  const Hash256 pin = sha256("tls/" + node);
  return std::string(pin.begin(), pin.end());
}

// Three genesis validators, known by pins, as a founded network has them.
TestChain three_validators() {
  return TestChain([](Genesis& g) {
    for (const char* id : {"node-1", "node-2", "node-3"}) {
      g.validators.push_back({id, vote_key_of(id), pin_of(id)});
    }
  });
}

GovernanceChange add_node(const std::string& id, NodeRole role = NodeRole::kLearner) {
  return AddNode{id, "coop-2", role, vote_key_of(id), pin_of(id), "coop2.example:7001"};
}

// coop-1 proposes, coop-2 approves: two of the two cooperatives pass it.
void pass(TestChain& chain, const std::string& id, std::vector<GovernanceChange> changes) {
  chain.accept("coop-1", propose(id, std::move(changes)));
  chain.accept("coop-2", approve_change(id));
}

NodeSetRecord nodes(TestChain& chain) {
  return WorldView(chain.block()).nodes();
}

std::vector<std::string> ids(const std::vector<Validator>& validators) {
  std::vector<std::string> out;
  for (const auto& v : validators) out.push_back(v.id);
  return out;
}

TEST(NodeGovernance, ALearnerJoinsWithoutVotingAndVotesFromTheBlockAfterItsPromotion) {
  TestChain chain = three_validators();
  pass(chain, "N-1", {add_node("node-4")});
  chain.commit();  // block 1
  const NodeSetRecord admitted = nodes(chain);
  const NodeRecord* learner = admitted.find("node-4");
  ASSERT_NE(learner, nullptr);
  EXPECT_EQ(learner->role, NodeRole::kLearner);
  EXPECT_EQ(learner->org_id, "coop-2");
  EXPECT_EQ(learner->peer_address, "coop2.example:7001");
  EXPECT_EQ(nodes(chain).changed_height, 0u) << "a learner changes no validator";
  EXPECT_EQ(ids(nodes(chain).validators_for(3)),
            (std::vector<std::string>{"node-1", "node-2", "node-3"}));

  pass(chain, "N-2", {PromoteNode{"node-4"}});  // block 2
  const NodeSetRecord after = nodes(chain);
  EXPECT_EQ(after.changed_height, 2u);
  EXPECT_EQ(ids(after.validators_for(2)), (std::vector<std::string>{"node-1", "node-2", "node-3"}))
      << "the promoting block itself is certified by the validators before it";
  EXPECT_EQ(ids(after.validators_for(3)),
            (std::vector<std::string>{"node-1", "node-2", "node-3", "node-4"}));
}

TEST(NodeGovernance, AValidatorThatIsDownIsRemovedAndTheLastOneCannotBe) {
  TestChain chain = three_validators();
  pass(chain, "N-1", {RemoveNode{"node-3"}});
  chain.commit();
  EXPECT_EQ(nodes(chain).find("node-3"), nullptr);
  EXPECT_EQ(ids(nodes(chain).validators_for(2)), (std::vector<std::string>{"node-1", "node-2"}));
  pass(chain, "N-2", {RemoveNode{"node-2"}});
  chain.commit();
  Verdict v = chain.submit("coop-1", propose("N-3", {RemoveNode{"node-1"}}));
  EXPECT_EQ(v.code, RuleCode::kUnsafeMembership) << v.message;
  EXPECT_EQ(ids(nodes(chain).validators_for(4)), (std::vector<std::string>{"node-1"}));
}

TEST(NodeGovernance, OneValidatorChangeAtATime) {
  TestChain chain = three_validators();
  pass(chain, "N-1", {add_node("node-4"), add_node("node-5")});
  chain.commit();
  // Two in one proposal.
  Verdict two =
      chain.submit("coop-1", propose("N-2", {PromoteNode{"node-4"}, PromoteNode{"node-5"}}));
  EXPECT_EQ(two.code, RuleCode::kMembershipChangePending) << two.message;
  // A second proposal while the first is open.
  chain.accept("coop-1", propose("N-3", {PromoteNode{"node-4"}}));
  Verdict open = chain.submit("coop-1", propose("N-4", {RemoveNode{"node-1"}}));
  EXPECT_EQ(open.code, RuleCode::kMembershipChangePending) << open.message;
  // Once N-3 has passed, the next may be proposed, but not in the block that passed it.
  chain.accept("coop-2", approve_change("N-3"));
  EXPECT_EQ(chain.submit("coop-1", propose("N-4", {RemoveNode{"node-1"}})).code,
            RuleCode::kMembershipChangePending);
  chain.commit();  // block 2 promoted node-4
  EXPECT_EQ(ids(nodes(chain).validators_for(3)),
            (std::vector<std::string>{"node-1", "node-2", "node-3", "node-4"}));
}

TEST(NodeGovernance, ABlockAppliesOneValidatorChangeEvenWhenTwoProposalsPassInIt) {
  TestChain chain = three_validators();
  pass(chain, "N-1", {add_node("node-4"), add_node("node-5")});
  chain.commit();  // block 1
  // Removing a learner changes no validator, so promoting it may be proposed meanwhile; once
  // promoted, the removal would be a second validator change in the block.
  chain.accept("coop-1", propose("N-2", {RemoveNode{"node-5"}}));
  chain.accept("coop-1", propose("N-3", {PromoteNode{"node-5"}}));
  chain.accept("coop-2", approve_change("N-3"));
  Verdict same_block = chain.submit("coop-2", approve_change("N-2"));
  EXPECT_EQ(same_block.code, RuleCode::kMembershipChangePending) << same_block.message;
  chain.commit();                                 // block 2 promoted node-5
  chain.accept("coop-2", approve_change("N-2"));  // block 3 removes it
  EXPECT_EQ(ids(nodes(chain).validators_for(4)),
            (std::vector<std::string>{"node-1", "node-2", "node-3"}));
  EXPECT_EQ(ids(nodes(chain).validators_for(3)),
            (std::vector<std::string>{"node-1", "node-2", "node-3", "node-5"}))
      << "the removing block is certified by the validators before it";
}

TEST(NodeGovernance, ARotatedVoteKeyIsInForceFromTheNextBlock) {
  TestChain chain = three_validators();
  pass(chain, "N-1", {RotateNode{"node-2", vote_key_of("node-2b"), pin_of("node-2b"), ""}});
  const NodeSetRecord after = nodes(chain);
  EXPECT_EQ(after.changed_height, 1u);
  EXPECT_EQ(after.validators_for(1)[1].public_key, vote_key_of("node-2"));
  EXPECT_EQ(after.validators_for(2)[1].public_key, vote_key_of("node-2b"));
  EXPECT_EQ(after.validators_for(2)[1].tls_pin, pin_of("node-2b"));
  chain.commit();
  // A new address alone changes no validator.
  pass(chain, "N-2", {RotateNode{"node-2", "", "", "node2.example:7001"}});
  EXPECT_EQ(nodes(chain).changed_height, 1u);
  EXPECT_EQ(nodes(chain).find("node-2")->peer_address, "node2.example:7001");
}

TEST(NodeGovernance, BadNodeChangesAreRefusedAndChangeNothing) {
  TestChain chain = three_validators();
  const NodeSetRecord before = nodes(chain);
  auto refused = [&](GovernanceChange change) {
    return chain.submit("coop-1", propose("N-X", {std::move(change)})).code;
  };
  EXPECT_EQ(refused(add_node("node-4", NodeRole::kValidator)), RuleCode::kMalformed)
      << "no validator joins with an empty chain";
  EXPECT_EQ(refused(add_node("node-2")), RuleCode::kNodeExists);
  EXPECT_EQ(refused(PromoteNode{"node-9"}), RuleCode::kUnknownNode);
  EXPECT_EQ(refused(RemoveNode{"node-9"}), RuleCode::kUnknownNode);
  EXPECT_EQ(refused(PromoteNode{"node-1"}), RuleCode::kRoleNotAllowed);
  EXPECT_EQ(refused(RotateNode{"node-1", "", "", ""}), RuleCode::kMalformed);
  EXPECT_EQ(refused(RotateNode{"node-1", vote_key_of("node-2"), "", ""}), RuleCode::kKeyExists);
  AddNode same_pin = std::get<AddNode>(add_node("node-4"));
  same_pin.tls_pin = pin_of("node-3");
  EXPECT_EQ(refused(same_pin), RuleCode::kKeyExists);
  AddNode no_pin = std::get<AddNode>(add_node("node-4"));
  no_pin.tls_pin.clear();
  EXPECT_EQ(refused(no_pin), RuleCode::kMalformed) << "a pinned network pins every node";
  AddNode bad_address = std::get<AddNode>(add_node("node-4"));
  bad_address.peer_address = "coop2.example";
  EXPECT_EQ(refused(bad_address), RuleCode::kMalformed);
  AddNode stranger = std::get<AddNode>(add_node("node-4"));
  stranger.org_id = "coop-9";
  EXPECT_EQ(refused(stranger), RuleCode::kUnknownOrganization);
  pass(chain, "N-1", {add_node("obs-1", NodeRole::kObserver)});
  EXPECT_EQ(refused(PromoteNode{"obs-1"}), RuleCode::kRoleNotAllowed) << "an observer never votes";
  NodeSetRecord with_observer = before;
  with_observer.nodes.push_back(*nodes(chain).find("obs-1"));
  EXPECT_EQ(nodes(chain), with_observer) << "only the observer was added";
}

// Suspending an organization leaves its nodes in place; one proposal takes both out together.
TEST(NodeGovernance, AnOrganizationIsSuspendedAndItsNodeRemovedInOneProposal) {
  TestChain chain = three_validators();
  AddNode observer = std::get<AddNode>(add_node("exp-node", NodeRole::kObserver));
  observer.org_id = "exp-1";
  pass(chain, "N-1", {observer});
  ASSERT_NE(nodes(chain).find("exp-node"), nullptr);
  pass(chain, "N-2", {SetOrganizationStatus{"exp-1", OrgStatus::kSuspended}});
  EXPECT_NE(nodes(chain).find("exp-node"), nullptr) << "a suspension alone removes no node";
  pass(chain, "N-3", {SetOrganizationStatus{"exp-1", OrgStatus::kActive}});
  pass(chain, "N-4",
       {SetOrganizationStatus{"exp-1", OrgStatus::kSuspended}, RemoveNode{"exp-node"}});
  EXPECT_EQ(nodes(chain).find("exp-node"), nullptr);
  EXPECT_EQ(WorldView(chain.block()).org("exp-1")->status, OrgStatus::kSuspended);
}

TEST(NodeGovernance, TheNodesRecordRoundTripsWithEveryRole) {
  NodeSetRecord r;
  r.nodes.push_back({"node-1", vote_key_of("node-1"), NodeRole::kValidator, pin_of("node-1")});
  r.nodes.push_back({"node-4", vote_key_of("node-4"), NodeRole::kLearner, pin_of("node-4"),
                     "coop-2", "coop2.example:7001"});
  r.nodes.push_back(
      {"obs-1", vote_key_of("obs-1"), NodeRole::kObserver, "", "exp-1", "exp.example:7001"});
  r.previous_validators = {r.nodes.front()};
  r.changed_height = 7;
  EXPECT_EQ(decode_nodes(encode(r)), r);
}

}  // namespace
}  // namespace coopchain::testing
