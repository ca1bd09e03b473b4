#include "tools/generator/aws_account.hpp"

#include "tools/generator/activity.hpp"
#include "tools/generator/iam_exports.hpp"
#include "tools/generator/output_files.hpp"
#include "tools/generator/population.hpp"

namespace keyward::generator {

core::Result<GeneratedAccount> generate_aws_account(const std::string& output_dir, const GeneratorOptions& options) {
  Rng rng(options.seed);
  auto built = build_account(options, rng);
  if (!built) return built.error();
  Account& account = *built;

  // Activity comes before the exports: it sets the last-used fields the exports print, and the
  // attacks add the access key and policy attachment the exports must show.
  Trail trail(account);
  generate_user_activity(account, trail, rng.fork("user-activity"));
  generate_role_activity(account, trail, rng.fork("role-activity"));
  inject_attacks(account, trail, rng.fork("attacks"));
  if (options.more_attacks) inject_more_attacks(account, trail, rng.fork("attacks"));

  GeneratedAccount result;
  const std::pair<std::string, std::string> exports[] = {
      {"credential-report.json", render_credential_report(account)},
      {"authorization-details.json", render_authorization_details(account)},
      {"access-keys.json", render_access_keys(account)},
  };
  for (const auto& [name, content] : exports) {
    if (auto written = write_file(output_dir, name, content); !written) return written.error();
    result.files.push_back(name);
  }
  Rng file_rng = rng.fork("file-names");
  if (auto written = write_cloudtrail(output_dir, account, trail.records(), file_rng, result.files); !written) {
    return written.error();
  }
  result.attacks = account.planted;
  result.identities = static_cast<int>(account.users.size() + account.roles.size()) + 1;
  result.events = static_cast<long long>(trail.records().size());
  return result;
}

}  // namespace keyward::generator
