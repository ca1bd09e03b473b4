#include "secrets/input/git_history.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include "secrets/input/input_test_support.hpp"
#include "secrets/input/walk.hpp"

namespace keyward::secrets {
namespace {

using input_testing::CollectingSink;
using input_testing::command_output;
using input_testing::run_command;
using input_testing::TempDir;
using input_testing::write_file;

// Builds repositories with the git CLI, offline, with a fixed identity and commit dates one minute
// apart so the history order does not depend on how fast the test runs.
class GitRepo {
 public:
  explicit GitRepo(std::filesystem::path dir) : dir_(std::move(dir)) {
    std::filesystem::create_directories(dir_);
    EXPECT_EQ(git("init -q -b main"), 0);
  }

  int git(const std::string& args) {
    ++clock_;
    const std::string date = std::to_string(1700000000 + clock_ * 60) + " +0000";
    return run_command("GIT_AUTHOR_DATE='" + date + "' GIT_COMMITTER_DATE='" + date + "' git -C '" + dir_.string() +
                       "' -c user.name=Tester -c user.email=tester@example.com -c commit.gpgsign=false " + args);
  }

  std::string commit_all(const std::string& message) {
    EXPECT_EQ(git("add -A"), 0);
    EXPECT_EQ(git("commit -q --allow-empty -m '" + message + "'"), 0);
    return rev_parse("HEAD");
  }

  std::string rev_parse(const std::string& rev) {
    return command_output("git -C '" + dir_.string() + "' rev-parse '" + rev + "'", dir_.parent_path());
  }

  void write(const std::string& name, const std::string& content) { write_file(dir_ / name, content); }
  void remove(const std::string& name) { std::filesystem::remove(dir_ / name); }
  const std::filesystem::path& dir() const { return dir_; }

 private:
  std::filesystem::path dir_;
  int clock_ = 0;
};

// History blobs (from a commit) that contain `needle`.
std::vector<const input_testing::CollectedBlob*> history_blobs(const CollectingSink& sink, std::string_view needle) {
  std::vector<const input_testing::CollectedBlob*> found;
  for (const auto* blob : sink.containing(needle)) {
    if (!blob->info.commit.empty()) found.push_back(blob);
  }
  return found;
}

TEST(GitHistory, AllRefsFoundWithIntroducer) {
  TempDir dir;
  GitRepo repo(dir / "repo");
  repo.write("README.md", "project readme\n");
  const std::string start = repo.commit_all("start");

  repo.write("config.env", "TOKEN=DELETED-SECRET-11111\n");
  const std::string added = repo.commit_all("add config");
  repo.remove("config.env");
  repo.commit_all("remove config");

  ASSERT_EQ(repo.git("checkout -q -b feature"), 0);
  repo.write("feature.txt", "BRANCH-SECRET-22222\n");
  const std::string on_branch = repo.commit_all("feature work");

  ASSERT_EQ(repo.git("checkout -q -b temporary main"), 0);
  repo.write("release.txt", "TAG-ONLY-SECRET-33333\n");
  const std::string tagged = repo.commit_all("release note");
  ASSERT_EQ(repo.git("tag -a v1.0 -m 'release'"), 0);
  ASSERT_EQ(repo.git("checkout -q main"), 0);
  ASSERT_EQ(repo.git("branch -q -D temporary"), 0);

  // An "evil merge": the secret is written while merging and is in neither parent.
  ASSERT_EQ(repo.git("checkout -q -b side main"), 0);
  repo.write("side.txt", "side change\n");
  repo.commit_all("side");
  ASSERT_EQ(repo.git("checkout -q main"), 0);
  repo.write("main.txt", "main change\n");
  repo.commit_all("main change");
  ASSERT_EQ(repo.git("merge -q --no-ff --no-commit side"), 0);
  repo.write("merge.txt", "MERGE-ONLY-SECRET-44444\n");
  const std::string merge = repo.commit_all("merge side");
  ASSERT_EQ(repo.rev_parse("HEAD^2"), repo.rev_parse("side"));

  repo.write("README.md", "project readme\nSTASHED-SECRET-55555\n");
  ASSERT_EQ(repo.git("stash -q"), 0);

  CollectingSink sink;
  ASSERT_TRUE(walk_path(repo.dir().string(), {}, sink).ok());
  EXPECT_TRUE(sink.skipped.empty()) << sink.skipped[0].path << ": " << sink.skipped[0].reason;

  const struct {
    std::string needle;
    std::string path;
    std::string commit;
  } expected[] = {
      {"DELETED-SECRET-11111", "config.env", added},
      {"BRANCH-SECRET-22222", "feature.txt", on_branch},
      {"TAG-ONLY-SECRET-33333", "release.txt", tagged},
      {"MERGE-ONLY-SECRET-44444", "merge.txt", merge},
  };
  for (const auto& secret : expected) {
    SCOPED_TRACE(secret.needle);
    const auto found = history_blobs(sink, secret.needle);
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0]->info.path, secret.path);
    EXPECT_EQ(found[0]->info.commit, secret.commit);
    EXPECT_EQ(found[0]->info.repository, repo.dir().string());
    EXPECT_EQ(found[0]->info.author, "tester@example.com");
    EXPECT_TRUE(found[0]->info.commit_time.has_value());
  }
  EXPECT_EQ(history_blobs(sink, "STASHED-SECRET-55555").size(), 1u);

  // README.md is in every commit but is one blob, introduced by the first commit. The stash contains
  // a second version of it, and the working tree copy comes on top.
  const auto readme = history_blobs(sink, "project readme\n");
  ASSERT_EQ(readme.size(), 2u);
  EXPECT_EQ(readme[0]->content, "project readme\n");
  EXPECT_EQ(readme[0]->info.commit, start);
  const auto* working_copy = sink.find((repo.dir() / "README.md").generic_string());
  ASSERT_NE(working_copy, nullptr);
  EXPECT_TRUE(working_copy->info.commit.empty());
  for (const auto& path : sink.paths()) EXPECT_EQ(path.find("/.git/"), std::string::npos) << path;
}

TEST(GitHistory, IntroducerTimeIsCommitTime) {
  TempDir dir;
  GitRepo repo(dir / "repo");
  repo.write("a.txt", "first\n");
  const std::string first = repo.commit_all("first");
  CollectingSink sink;
  scan_git_history(repo.dir().string(), "", {}, sink);
  ASSERT_EQ(sink.blobs.size(), 1u);
  EXPECT_EQ(sink.blobs[0].info.commit, first);
  const std::string time = command_output("git -C '" + repo.dir().string() + "' show -s --format=%ct HEAD", dir.path());
  EXPECT_EQ(sink.blobs[0].info.commit_time, std::stoll(time));
}

TEST(GitHistory, HistoryIsSkippedWhenTurnedOff) {
  TempDir dir;
  GitRepo repo(dir / "repo");
  repo.write("old.txt", "OLD-SECRET\n");
  repo.commit_all("old");
  repo.remove("old.txt");
  repo.commit_all("remove");
  WalkOptions options;
  options.git_history = false;
  CollectingSink sink;
  ASSERT_TRUE(walk_path(repo.dir().string(), options, sink).ok());
  EXPECT_TRUE(sink.containing("OLD-SECRET").empty());
}

TEST(GitHistory, BareRepositoryAndGitDirectoryAreScanned) {
  TempDir dir;
  GitRepo repo(dir / "repo");
  repo.write("x.txt", "IN-HISTORY\n");
  repo.commit_all("x");
  ASSERT_EQ(run_command("git clone -q --bare '" + repo.dir().string() + "' '" + (dir / "bare.git").string() + "'"), 0);

  for (const auto& path : {dir / "bare.git", repo.dir() / ".git"}) {
    SCOPED_TRACE(path.string());
    CollectingSink sink;
    ASSERT_TRUE(walk_path(path.string(), {}, sink).ok());
    ASSERT_EQ(sink.blobs.size(), 1u);
    EXPECT_EQ(sink.blobs[0].info.path, "x.txt");
    EXPECT_EQ(sink.blobs[0].info.repository, path.string());
    EXPECT_FALSE(sink.blobs[0].info.commit.empty());
  }
}

TEST(GitHistory, NestedRepositoryPathsGoToIgnoreWithPrefix) {
  TempDir dir;
  GitRepo repo(dir / "services" / "api");
  repo.write("keep.txt", "KEEP\n");
  repo.write("fixtures/fake.txt", "FAKE\n");
  repo.commit_all("files");
  WalkOptions options;
  options.path_ignored = [](std::string_view path) { return path == "services/api/fixtures"; };
  CollectingSink sink;
  ASSERT_TRUE(walk_path(dir.path().string(), options, sink).ok());
  EXPECT_TRUE(sink.containing("FAKE").empty());
  EXPECT_EQ(history_blobs(sink, "KEEP").size(), 1u);
}

TEST(GitHistory, ShallowCloneScansCommitsPresent) {
  TempDir dir;
  GitRepo repo(dir / "origin");
  repo.write("old.txt", "OLD-ONLY-IN-ORIGIN\n");
  repo.commit_all("old");
  repo.remove("old.txt");
  repo.write("tip.txt", "TIP-CONTENT\n");
  const std::string tip = repo.commit_all("tip");
  const auto clone = dir / "shallow";
  ASSERT_EQ(run_command("git clone -q --depth 1 'file://" + repo.dir().string() + "' '" + clone.string() + "'"), 0);
  ASSERT_TRUE(std::filesystem::exists(clone / ".git" / "shallow"));

  CollectingSink sink;
  scan_git_history(clone.string(), "", {}, sink);
  EXPECT_TRUE(sink.skipped.empty()) << sink.skipped[0].path << ": " << sink.skipped[0].reason;
  const auto found = sink.containing("TIP-CONTENT");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0]->info.commit, tip);
  EXPECT_TRUE(sink.containing("OLD-ONLY-IN-ORIGIN").empty());
}

TEST(GitHistory, MissingParentIsNotScannedInFullClone) {
  TempDir dir;
  GitRepo repo(dir / "repo");
  repo.write("a.txt", "FIRST\n");
  const std::string first = repo.commit_all("first");
  repo.write("b.txt", "SECOND\n");
  repo.commit_all("second");
  std::filesystem::remove(repo.dir() / ".git" / "objects" / first.substr(0, 2) / first.substr(2));
  CollectingSink sink;
  scan_git_history(repo.dir().string(), "", {}, sink);
  EXPECT_EQ(sink.containing("SECOND").size(), 1u);
  ASSERT_EQ(sink.skipped.size(), 1u);
  EXPECT_EQ(sink.skipped[0].path, repo.dir().string() + " " + first);
}

TEST(GitHistory, ArchiveCommittedToHistoryIsOpened) {
  TempDir dir;
  GitRepo repo(dir / "repo");
  repo.write("dist/bundle.zip", input_testing::make_archive({{"inner.env", "ZIPPED-SECRET\n"}}, "zip"));
  const std::string commit = repo.commit_all("bundle");
  CollectingSink sink;
  scan_git_history(repo.dir().string(), "", {}, sink);
  const auto* blob = sink.find("dist/bundle.zip!inner.env");
  ASSERT_NE(blob, nullptr);
  EXPECT_EQ(blob->info.commit, commit);
}

TEST(GitHistory, BlobOverMaxFileBytesIsNotScanned) {
  TempDir dir;
  GitRepo repo(dir / "repo");
  repo.write("big.txt", std::string(5000, 'b'));
  repo.write("small.txt", "small\n");
  const std::string commit = repo.commit_all("files");
  WalkOptions options;
  options.max_file_bytes = 1000;
  CollectingSink sink;
  scan_git_history(repo.dir().string(), "", options, sink);
  ASSERT_EQ(sink.blobs.size(), 1u);
  ASSERT_EQ(sink.skipped.size(), 1u);
  EXPECT_EQ(sink.skipped[0].path, repo.dir().string() + " " + commit + ":big.txt");
  EXPECT_NE(sink.skipped[0].reason.find("5000 bytes"), std::string::npos) << sink.skipped[0].reason;
}

TEST(GitHistory, MissingObjectIsNotScannedAndWalkContinues) {
  TempDir dir;
  GitRepo repo(dir / "repo");
  repo.write("lost.txt", "LOST\n");
  repo.write("kept.txt", "KEPT\n");
  repo.commit_all("files");
  const std::string lost = repo.rev_parse("HEAD:lost.txt");
  std::filesystem::remove(repo.dir() / ".git" / "objects" / lost.substr(0, 2) / lost.substr(2));
  CollectingSink sink;
  scan_git_history(repo.dir().string(), "", {}, sink);
  EXPECT_EQ(sink.containing("KEPT").size(), 1u);
  ASSERT_EQ(sink.skipped.size(), 1u);
  EXPECT_NE(sink.skipped[0].path.find("lost.txt"), std::string::npos) << sink.skipped[0].path;
  EXPECT_NE(sink.skipped[0].reason.find(lost), std::string::npos) << sink.skipped[0].reason;
}

TEST(GitHistory, BrokenRepositoryIsNotScannedWithMessage) {
  TempDir dir;
  write_file(dir / "repo" / ".git" / "HEAD", "this is not a ref\n");
  write_file(dir / "repo" / "file.txt", "working tree\n");
  CollectingSink sink;
  ASSERT_TRUE(walk_path((dir / "repo").string(), {}, sink).ok());
  EXPECT_EQ(sink.blobs.size(), 1u);
  ASSERT_EQ(sink.skipped.size(), 1u);
  EXPECT_EQ(sink.skipped[0].path, (dir / "repo").generic_string());
  EXPECT_NE(sink.skipped[0].reason.find("git history could not be read"), std::string::npos) << sink.skipped[0].reason;
}

TEST(GitHistory, RepositoryOfAnotherOwnerNamesSafeDirectory) {
  if (::geteuid() != 0) GTEST_SKIP() << "only root can give the test repository to another user";
  TempDir dir;
  GitRepo repo(dir / "repo");
  repo.write("a.txt", "a\n");
  repo.commit_all("a");
  ASSERT_EQ(run_command("chown -R 65534 '" + repo.dir().string() + "'"), 0);
  CollectingSink sink;
  scan_git_history(repo.dir().string(), "", {}, sink);
  ASSERT_EQ(sink.skipped.size(), 1u);
  EXPECT_NE(sink.skipped[0].reason.find("owned by another user"), std::string::npos) << sink.skipped[0].reason;
  EXPECT_NE(sink.skipped[0].reason.find("safe.directory " + repo.dir().string()), std::string::npos);
}

}  // namespace
}  // namespace keyward::secrets
