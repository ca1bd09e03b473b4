// GitHub attacks, on the last day the audit log covers:
//   (a) a malicious npm package's install script steals a developer's token and downloads
//       repository archives with it from a hosting provider, still under npm's user agent;
//   (b) another token clones forty repositories within half an hour from a second hosting
//       provider, the bulk copy that precedes a source code leak. Planted only when the
//       organization has that many repositories.

#include <fmt/format.h>

#include "tools/generator/planted.hpp"
#include "tools/generator/platform_attacks.hpp"

namespace keyward::generator {
namespace {

using nlohmann::json;

constexpr size_t kMassCloneRepositories = 40;

json token_record(const GithubTokenRef& token, const std::string& organization, core::UnixTime time, std::string_view action,
                  const std::string& repository, const std::string& ip, std::string_view agent, const std::string& hashed,
                  Rng& rng) {
  json record = {
      {"@timestamp", time * 1000 + rng.uniform(0, 999)},
      {"action", action},
      {"actor", token.owner_login},
      {"actor_ip", ip},
      {"user_agent", agent},
      {"repo", organization + "/" + repository},
      {"programmatic_access_type", token.classic ? "Personal access token (classic)" : "Fine-grained personal access token"},
      {"token_id", std::stoll(token.id)},
      {"hashed_token", hashed},
      {"operation_type", "access"},
  };
  if (token.classic) record["token_scopes"] = token.scopes;
  return record;
}

std::string hashed_token(Rng& rng) {
  return rng.text(43, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/") + "=";
}

}  // namespace

std::vector<json> github_attacks(const Company& company, const std::string& organization, const std::vector<std::string>& repositories,
                                 const std::vector<GithubTokenRef>& tokens, core::UnixTime log_start,
                                 std::vector<InjectedAttack>& planted) {
  Rng rng = company.rng("github").fork("attacks");
  std::vector<json> records;
  const core::UnixTime day = core::day_start(company.end_time - 1);
  if (day < log_start || tokens.size() < 2 || repositories.size() < 3) return records;

  {
    const GithubTokenRef& token = tokens[0];
    const std::string ip = attacker_ip(AttackerNetwork::hosting_de, rng);
    const std::string hashed = hashed_token(rng);
    const core::UnixTime start = day + 6 * 3600 + 12 * 60 + 33;
    core::UnixTime time = start;
    for (int i = 0; i < 3; ++i) {
      records.push_back(token_record(token, organization, time, "repo.download_zip", repositories[static_cast<size_t>(i)], ip,
                                     "npm/10.8.2 node/v20.18.0 linux x64 workspaces/false", hashed, rng));
      time += rng.uniform(1, 4);
    }
    planted.push_back(planted_attack("github", "token stolen by an npm install script downloads repository archives",
                                     {"github.token.package_manager_client"}, "token:" + token.id, start, time));
  }
  if (repositories.size() >= kMassCloneRepositories) {
    const GithubTokenRef& token = tokens[1];
    const std::string ip = attacker_ip(AttackerNetwork::hosting_nl, rng);
    const std::string hashed = hashed_token(rng);
    const core::UnixTime start = day + 8 * 3600 + 2 * 60 + 9;
    core::UnixTime time = start;
    for (size_t i = 0; i < kMassCloneRepositories; ++i) {
      records.push_back(token_record(token, organization, time, "git.clone", repositories[repositories.size() - 1 - i], ip,
                                     "git/2.39.2", hashed, rng));
      time += rng.uniform(10, 45);
    }
    planted.push_back(planted_attack("github", "token clones forty repositories in half an hour from a hosting provider",
                                     {"github.token.mass_clone"}, "token:" + token.id, start, time));
  }
  return records;
}

}  // namespace keyward::generator
