// GitLab tokens. Every GitLab token type has its own prefix, and routable tokens (GitLab 17.x and
// later) end in a '.'-separated tail of nine base36 characters.

#include "secrets/rules/rule_lists.hpp"

namespace keyward::secrets {
namespace {

constexpr std::string_view kTokenOverview = "https://docs.gitlab.com/security/tokens/";

// Builds a GitLab token rule from its pattern, one example and one negative example.
SecretRule gitlab_rule(std::string_view id, std::string_view name, std::string_view pattern,
                       std::size_t max_match_length, std::size_t prefix, std::string_view example,
                       std::string_view negative) {
  return SecretRule{
      .id = id,
      .name = name,
      .service = "GitLab",
      .category = Category::source_control,
      .pattern = pattern,
      .max_match_length = max_match_length,
      .min_entropy = 3.0,
      .redact_prefix = prefix,
      .examples = {example},
      .negative_examples = {negative},
      .reference = kTokenOverview,
  };
}

}  // namespace

void add_gitlab_rules(std::vector<SecretRule>& rules) {
  rules.push_back(gitlab_rule("gitlab.pat", "GitLab personal, project or group access token",
                              R"(\b(glpat-[0-9A-Za-z_-]{20})(?:[^0-9A-Za-z_-]|$))", 28, 6,
                              "GITLAB_TOKEN=glpat-KwFakeujkGU8qyU8lScK", "glpat-wtvA5qZRAb61"));
  rules.push_back(gitlab_rule("gitlab.pat.routable", "GitLab personal access token (routable)",
                              R"(\b(glpat-[0-9A-Za-z_-]{27,300}(?:\.[0-9a-z]{2})?\.[0-9a-z]{9})(?:[^0-9A-Za-z_-]|$))", 320, 6,
                              "GITLAB_TOKEN=glpat-KwFakeZ3C43TtMO9PitjhJhzcxwPP0mjjmlpFTrR.01z23656n", "glpat-KwFakea0KTKmaJlf_Xu3"));
  rules.back().examples.push_back("GITLAB_TOKEN=glpat-KwFakeBBGKH1oEMq2hjCtUzR8gJSFOA81NkrAsU1.01.nuq34hcij");

  rules.push_back(gitlab_rule("gitlab.deploy_token", "GitLab deploy token", R"(\b(gldt-[0-9A-Za-z_-]{20})(?:[^0-9A-Za-z_-]|$))",
                              28, 5, "password: gldt-KwFakeDqHvtBYAX_5-iu", "gldt-DCHHL23mXX"));
  rules.push_back(gitlab_rule("gitlab.runner_token", "GitLab runner authentication token",
                              R"(\b(glrt-(?:t[0-9]_)?[0-9A-Za-z_-]{20,300}(?:(?:\.[0-9a-z]{2})?\.[0-9a-z]{9})?)(?:[^0-9A-Za-z_-]|$))", 330, 5,
                              R"(token = "glrt-t1_KwFakeHYxqeMa0zNlkxJn7AYZLZ")", "glrt-YvgS5SaaJwDl"));
  rules.push_back(gitlab_rule("gitlab.runner_registration_token", "GitLab runner registration token (deprecated)",
                              R"(\b(GR1348941[0-9A-Za-z_-]{20})(?:[^0-9A-Za-z_-]|$))", 32, 9,
                              "--registration-token GR1348941KwFake3EG_2JJK9xBecp", "GR13489414l5ce8qt2GJo"));

  rules.push_back(gitlab_rule("gitlab.pipeline_trigger_token", "GitLab pipeline trigger token",
                              R"(\b(glptt-[0-9a-f]{40})\b)", 48, 6, "-F token=glptt-ec8e77aa6a39442aad650bfd47c612d1992ccd42", "glptt-922cefbb158bea5c76201eb274bea8fb"));
  rules.push_back(gitlab_rule("gitlab.feed_token", "GitLab feed token", R"(\b(glft-[0-9A-Za-z_-]{20})(?:[^0-9A-Za-z_-]|$))",
                              28, 5, "https://gitlab.com/dashboard/issues.atom?feed_token=glft-KwFakeblR7aXnugrAH4F", "glft-26VzEQM2"));
  rules.push_back(gitlab_rule("gitlab.incoming_mail_token", "GitLab incoming email token",
                              R"(\b(glimt-[0-9A-Za-z_-]{25})(?:[^0-9A-Za-z_-]|$))", 34, 6,
                              "reply+glimt-KwFaketexwZSCzBdYPVZSAtfB@incoming.gitlab.com", "glimt-eV5deun49Joy"));
  rules.push_back(gitlab_rule("gitlab.agent_token", "GitLab agent for Kubernetes token",
                              R"(\b(glagent-[0-9A-Za-z_-]{50})(?:[^0-9A-Za-z_-]|$))", 60, 8,
                              "config.token=glagent-KwFake9N-lPYaeiiLrS2eyERmENlF-gw30QNPmMtVjiIQKvKpJ", "glagent-KwFakepuytZlnC6mcfyGtbxu2UDYus"));

  rules.push_back(gitlab_rule("gitlab.oauth_app_secret", "GitLab OAuth application secret",
                              R"(\b(gloas-[0-9a-f]{64})\b)", 72, 6, "GITLAB_OAUTH_SECRET=gloas-63415ff808b769c49f700fffa0dd041d66cc75a918b844bbc7fecda727766de4", "gloas-7d191690a32790cbc7f435c4165a9e3e57b3c510"));
  rules.push_back(gitlab_rule("gitlab.scim_token", "GitLab SCIM token", R"(\b(glsoat-[0-9A-Za-z_-]{20})(?:[^0-9A-Za-z_-]|$))",
                              30, 7, "Authorization: Bearer glsoat-KwFakelnrE61tzdkRLyw", "glsoat-ULZ9G_iq9i"));
  rules.push_back(gitlab_rule("gitlab.feature_flags_token", "GitLab feature flags client token",
                              R"(\b(glffct-[0-9A-Za-z_-]{20})(?:[^0-9A-Za-z_-]|$))", 30, 7,
                              "UNLEASH_INSTANCE_ID=glffct-KwFakeMAdfafmAqfq0HF", "glffct--l-1Vg4nr6"));
  rules.push_back(gitlab_rule("gitlab.ci_job_token", "GitLab CI/CD job token",
                              R"(\b(glcbt-[0-9A-Za-z]{1,5}_[0-9A-Za-z_-]{20})(?:[^0-9A-Za-z_-]|$))", 34, 6,
                              "CI_JOB_TOKEN=glcbt-64_KwFakeG1ypLFTS88H7ik", "glcbt-KwFakeIC8-n8xAbhA2L2"));

  rules.push_back(gitlab_rule("gitlab.session_cookie", "GitLab session cookie",
                              R"(_gitlab_session=([0-9a-f]{32})\b)", 50, 0,
                              "Cookie: _gitlab_session=83418dd27a757f81eb2a1507ca515621; preferred_language=en", "_gitlab_session=77004fd3adfb0eae"));
}

}  // namespace keyward::secrets
