#include "secrets/input/commit_order.hpp"

#include <cstdint>
#include <cstring>
#include <memory>
#include <queue>
#include <unordered_map>

namespace keyward::secrets {

namespace {

struct OidHash {
  std::size_t operator()(const git_oid& id) const {
    std::size_t hash = 0;
    std::memcpy(&hash, id.id, sizeof hash);  // object ids are SHA-1 hashes, already uniform
    return hash;
  }
};

struct OidEqual {
  bool operator()(const git_oid& a, const git_oid& b) const { return git_oid_equal(&a, &b) != 0; }
};

struct CommitNode {
  git_oid id;
  git_time_t time = 0;
  std::vector<git_oid> parents;          // during discovery only
  std::vector<std::uint32_t> children;   // indexes into the node list
  std::uint32_t parents_left = 0;        // listed parents not yet in the output
};

struct CommitFree {
  void operator()(git_commit* commit) const { git_commit_free(commit); }
};

class CommitGraph {
 public:
  CommitGraph(git_repository* repository, const CommitErrorHandler& on_error)
      : repository_(repository), on_error_(on_error), shallow_(git_repository_is_shallow(repository) == 1) {
    git_repository_odb(&odb_, repository);
  }
  ~CommitGraph() { git_odb_free(odb_); }
  CommitGraph(const CommitGraph&) = delete;
  CommitGraph& operator=(const CommitGraph&) = delete;

  void discover(const std::vector<git_oid>& tips);
  std::vector<git_oid> topological_order();

 private:
  void add_commit(const git_oid& id, std::vector<git_oid>& stack);
  bool exists(const git_oid& id) const { return odb_ != nullptr && git_odb_exists(odb_, &id) == 1; }

  git_repository* repository_;
  const CommitErrorHandler& on_error_;
  bool shallow_;
  git_odb* odb_ = nullptr;
  std::vector<CommitNode> nodes_;
  std::unordered_map<git_oid, std::uint32_t, OidHash, OidEqual> index_;
};

// Finds the commits reachable from `tips` with an explicit stack, so deep histories do not
// recurse.
void CommitGraph::discover(const std::vector<git_oid>& tips) {
  std::vector<git_oid> stack(tips.rbegin(), tips.rend());
  while (!stack.empty()) {
    const git_oid id = stack.back();
    stack.pop_back();
    if (index_.find(id) == index_.end()) add_commit(id, stack);
  }
}

void CommitGraph::add_commit(const git_oid& id, std::vector<git_oid>& stack) {
  git_commit* raw_commit = nullptr;
  if (git_commit_lookup(&raw_commit, repository_, &id) != 0) {
    const git_error* error = git_error_last();
    on_error_(id, error != nullptr && error->message != nullptr ? error->message : "unknown libgit2 error");
    index_.emplace(id, UINT32_MAX);  // reported once, and never a node
    return;
  }
  const std::unique_ptr<git_commit, CommitFree> commit(raw_commit);
  CommitNode node;
  node.id = id;
  node.time = git_commit_time(commit.get());
  const unsigned int count = git_commit_parentcount(commit.get());
  for (unsigned int i = 0; i < count; ++i) {
    const git_oid& parent = *git_commit_parent_id(commit.get(), i);
    if (!exists(parent)) {
      if (!shallow_) on_error_(parent, "parent commit is missing from the object database");
      continue;
    }
    node.parents.push_back(parent);
    stack.push_back(parent);
  }
  index_.emplace(id, static_cast<std::uint32_t>(nodes_.size()));
  nodes_.push_back(std::move(node));
}

// Kahn's algorithm: a commit becomes ready when all its listed parents are out, and the oldest
// ready commit goes next.
std::vector<git_oid> CommitGraph::topological_order() {
  for (std::uint32_t child = 0; child < nodes_.size(); ++child) {
    for (const git_oid& parent : nodes_[child].parents) {
      const auto found = index_.find(parent);
      if (found == index_.end() || found->second == UINT32_MAX) continue;
      nodes_[found->second].children.push_back(child);
      ++nodes_[child].parents_left;
    }
    std::vector<git_oid>().swap(nodes_[child].parents);
  }

  const auto later = [this](std::uint32_t a, std::uint32_t b) {
    if (nodes_[a].time != nodes_[b].time) return nodes_[a].time > nodes_[b].time;
    return git_oid_cmp(&nodes_[a].id, &nodes_[b].id) > 0;
  };
  std::priority_queue<std::uint32_t, std::vector<std::uint32_t>, decltype(later)> ready(later);
  for (std::uint32_t i = 0; i < nodes_.size(); ++i) {
    if (nodes_[i].parents_left == 0) ready.push(i);
  }

  std::vector<git_oid> order;
  order.reserve(nodes_.size());
  while (!ready.empty()) {
    const std::uint32_t current = ready.top();
    ready.pop();
    order.push_back(nodes_[current].id);
    for (const std::uint32_t child : nodes_[current].children) {
      if (--nodes_[child].parents_left == 0) ready.push(child);
    }
  }
  return order;
}

}  // namespace

std::vector<git_oid> order_commits(git_repository* repository, const std::vector<git_oid>& tips,
                                   const CommitErrorHandler& on_error) {
  CommitGraph graph(repository, on_error);
  graph.discover(tips);
  return graph.topological_order();
}

}  // namespace keyward::secrets
