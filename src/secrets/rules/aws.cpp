// AWS credentials: IAM access keys, STS session tokens, Bedrock API keys and service keys.

#include "secrets/rules/rule_lists.hpp"
#include "secrets/validators/structure.hpp"

namespace keyward::secrets {
namespace {

void add_iam_rules(std::vector<SecretRule>& rules) {
  // The access key id is public, but it names the key. Finding it ties the exposure to the IAM
  // key in the inventory, and the secret is usually next to it.
  rules.push_back({
      .id = "aws.access_key_id",
      .name = "AWS access key ID",
      .service = "AWS",
      .category = Category::cloud,
      .pattern = R"(\b((?:AKIA|ASIA)[A-Z2-7]{16})\b)",
      .max_match_length = 24,
      .platform = "aws",
      .credential_kind = "aws_access_key",
      .redact_prefix = 4,
      .identifier = secret_as_identifier,
      .examples = {"aws_access_key_id = AKIAKWFAKESIN3LAVP3G",
                   R"({"AccessKeyId": "ASIAKWFAKEXYRMLZG7DA", "Expiration": "2025-01-01T00:00:00Z"})"},
      .negative_examples = {"AIDAKWFAKE46UJNM6SZR is an IAM user id, not a key", "AKIAN2CH5LAOIH25YYL is one character short",
                            "arn:aws:iam::123456789012:user/AKIAKWFAKETJ2TW2VXX59"},
      .reference = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html",
  });
  rules.push_back({
      .id = "aws.secret_access_key",
      .name = "AWS secret access key",
      .service = "AWS",
      .category = Category::cloud,
      .pattern = R"((?i:aws[_.-]?secret[_.-]?(?:access[_.-]?)?key|secret[_.-]?access[_.-]?key)["']?\s{0,4}(?::=|=>|=|:)\s{0,4}["']?([A-Za-z0-9/+]{40})(?:[^A-Za-z0-9/+=]|$))",
      .max_match_length = 96,
      .min_entropy = 3.5,
      .placeholder_filter = true,
      // The rule sets no credential_kind because that kind makes the scan look for a secret key
      // next to the match, which only the key id rule needs.
      .platform = "aws",
      .examples = {"aws_secret_access_key = KwFakexnb7b6DhvV4BAbZRe8WiPvxeib3Gbmek8f", R"("SecretAccessKey": "KwFakeNEjHUGvJGERs5HBEE9uMmJI6PiqiPYQhpN",)",
                   "export AWS_SECRET_ACCESS_KEY=KwFakezwtLPKqoqL7sMuH1LTYgnwoVp6W/SVifO8"},
      .negative_examples = {"aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                            "aws_secret_access_key = ${AWS_SECRET_ACCESS_KEY}", "secret_key = KwFakeKpsNfsAdxpBVZicb/TO1E5g4l32FSn28rt"},
      .reference = "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html",
  });
  rules.push_back({
      .id = "aws.session_token",
      .name = "AWS STS session token",
      .service = "AWS",
      .category = Category::cloud,
      .pattern = R"((?i:aws[_.-]?session[_.-]?token|aws[_.-]?security[_.-]?token|x-amz-security-token|"SessionToken")["']?\s{0,4}(?::=|=>|=|:)\s{0,4}["']?([A-Za-z0-9/+]{100,}={0,2})(?:[^A-Za-z0-9/+=]|$))",
      .max_match_length = 1560,
      .min_entropy = 4.0,
      .placeholder_filter = true,
      .platform = "aws",
      .examples = {"aws_session_token = IQoJb3JpZ2luX2VjEKwFakes3desvS39uawdbXyKonttINRSaG49L9+0xM2//0kazPMgLcwVci6s2MXH5N1JKtuTkSoPorPvRAF4oJwOOrPrvanE6dzn9BWnk4r+Nszd+JfGWkbCMtp0Q3ciCHMxn0nnKS4Cq0njuQvDvCPzHtQtFiF/uRfS0nOC7vD/up5aflKbo/aGbhfXPQDootWfwa9FR", R"("SessionToken": "FwoGZXIvYXdzEKwFake94HbK0MrYvT+fv7lDZ4csHOEZnAvIL7nY/Tihj/nEkv36Iq49m/OtcJ2ufrOF59XLWc71pNXjFdLIuqtsciJcr67tsSok0Yfg7VOdd1kQmtacWtSIuOy2wiyh5TQrCyWw6qmoz4NSIqsGZbC+8sPooFxh0ZB7uWYO+mORmyOKkEeqLSSOXpAcr5ZO1Al/eYCIPNfIQkgdPO5BvBZ0FhlFxnTeHNqZB+37C6eFCGCq0OkUTot5uqLLVCo8MFmYjCxc327qOwu+L2L77nYDpNIgbLcTeTXyDsYvfW6H/=",)"},
      .negative_examples = {"aws_session_token = KwFake0k67ZvQvJxxxTdrLiNACjICvadcLPhdFcYFlhXzm9MhWFwu9fDE+gs", "session_token = IQoJb3JpZ2luX2VjEKwFakeoDeS9ftoNI0fpoLUpLcdMQG3oJGkz+uPNh3/dq96KqNWaD3yQ3nTYFR+GCmRJaNN4irZ6QQeURsimIiW5w7LbQiATzdHHzinK26b/a5um+AV3x4w9Eqms1awMupDws9I3OjHrtrfGVQ8PE1dCeDMDN5eCK3bWgu0fBPtsG1FmSiKeY4psm3WMuJ6y6zCXb/65J"},
      .reference = "https://docs.aws.amazon.com/STS/latest/APIReference/API_Credentials.html",
  });
}

void add_service_key_rules(std::vector<SecretRule>& rules) {
  rules.push_back({
      .id = "aws.bedrock.api_key",
      .name = "Amazon Bedrock long-term API key",
      .service = "AWS",
      .category = Category::ai,
      .pattern = R"(\b(ABSK[A-Za-z0-9+/]{100,300}={0,2})(?:[^A-Za-z0-9+/=]|$))",
      .max_match_length = 312,
      .min_entropy = 4.0,
      .redact_prefix = 4,
      .examples = {"AWS_BEARER_TOKEN_BEDROCK=ABSKQmVkcm9ja0FQSUtleS1rd2Zha2UtYXQtMTIzNDU2Nzg5MDEyOkt3RmFrZUJlZHJvY2tTZWNyZXRQYXJ0N2QyUTl4TG1SNHRZOHZOMXBaNndLMw=="},
      .negative_examples = {"ABSKKwFaker8mWRxyU5QAu8gA0DjVo9gdxnDZXpK9Z23", "xABSKKwFakeAB8XugH9CwDaweB5pL4qiqYn9WCBTrhO07s9wFtpc0b6w8ZsIOIS/GIIJ9e9k05vj5jWUmKaMqbCnSt9cfwVj+1HOIdrD9SWKNawy6CwosR9ZECO2k"},
      .reference = "https://docs.aws.amazon.com/bedrock/latest/userguide/api-keys.html",
  });
  rules.push_back({
      .id = "aws.bedrock.short_term_api_key",
      .name = "Amazon Bedrock short-term API key",
      .service = "AWS",
      .category = Category::ai,
      .pattern = R"(\b(bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t[A-Za-z0-9+/=%]{40,})(?:[^A-Za-z0-9+/=%]|$))",
      .max_match_length = 1560,
      .redact_prefix = 16,
      .examples = {"token: bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29tLz9BY3Rpb249Q2FsbFdpdGhCZWFyZXJUb2tlbiZYLUFtei1BbGdvcml0aG09QVdTNC1ITUFDLVNIQTI1NiZYLUFtei1DcmVkZW50aWFsPUFTSUFLV0ZBS0UyMzQ1NjdBQkNEJTJGMjAyNTAxMDElMkZ1cy1lYXN0LTElMkZiZWRyb2NrJTJGYXdzNF9yZXF1ZXN0JlZlcnNpb249MQ=="},
      .negative_examples = {"bedrock-api-key-ZXhhbXBsZS5hbWF6b25hd3MuY29tLz9BY3Rpb249Q2FsbFdpdGhCZWFyZXJUb2tlbiZWZXJzaW9uPTE="},
      .reference = "https://docs.aws.amazon.com/bedrock/latest/userguide/api-keys.html",
  });
  rules.push_back({
      .id = "aws.appsync.api_key",
      .name = "AWS AppSync API key",
      .service = "AWS",
      .category = Category::cloud,
      .pattern = R"(\b(da2-[a-z0-9]{26})\b)",
      .max_match_length = 32,
      .redact_prefix = 4,
      .examples = {R"(x-api-key: da2-kwfake57p4a04vdg5id4ayb89k)"},
      .negative_examples = {"da2-kwfake6ntr70lwkkv3ug", "da2-kwfaketmqgue8hcpuhipp0obttx"},
      .reference = "https://docs.aws.amazon.com/appsync/latest/devguide/security-authz.html",
  });
  rules.push_back({
      .id = "aws.mws.auth_token",
      .name = "Amazon Marketplace Web Service auth token",
      .service = "AWS",
      .category = Category::cloud,
      .pattern = R"(\b(amzn\.mws\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b)",
      .max_match_length = 48,
      .redact_prefix = 9,
      .examples = {"MWS_AUTH_TOKEN=amzn.mws.0d93b32c-30dc-4bb6-9b5d-ef04583ec6a1"},
      .negative_examples = {"amzn.mws.1234-abcd", "amzn.mws.2bec75e820995abb536cd25101d23fe8"},
  });
}

}  // namespace

void add_aws_rules(std::vector<SecretRule>& rules) {
  add_iam_rules(rules);
  add_service_key_rules(rules);
}

}  // namespace keyward::secrets
