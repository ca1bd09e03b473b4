// Credentials in web formats: JWTs, HTTP Authorization headers, user:password in URLs and curl
// commands, and Kubernetes and OpenShift tokens.

#include "secrets/rules/rule_lists.hpp"
#include "secrets/validators/structure.hpp"

namespace keyward::secrets {
namespace {

void add_header_rules(std::vector<SecretRule>& rules) {
  // A signed JWT (JWS compact form): base64url header, payload and signature. The header and,
  // in practice, the payload are JSON objects, so both start "eyJ" ('{"').
  rules.push_back({
      .id = "jwt.token",
      .name = "JSON Web Token",
      .service = "JWT",
      .category = Category::url_credential,
      .pattern = R"(\b(eyJ[A-Za-z0-9_-]{10,1000}\.ey[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{0,1000})(?:[^A-Za-z0-9_.-]|$))",
      .max_match_length = 6160,
      .validate = validate_jwt,
      .redact_prefix = 3,
      .examples = {"Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJrZXl3YXJkLWZha2Utc3ViamVjdCIsImlzcyI6Imh0dHBzOi8vYXV0aC5rZXl3YXJkLmludmFsaWQiLCJpYXQiOjE3MDAwMDAwMDB9.KwFakeUDsHEFx3C5-0JHzcmvAYbLVe_8SUgjvJOIdK7", R"({"id_token": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJrZXl3YXJkLWZha2Utc3ViamVjdCIsImlzcyI6Imh0dHBzOi8vYXV0aC5rZXl3YXJkLmludmFsaWQiLCJpYXQiOjE3MDAwMDAwMDB9.KwFakerc0_MZq-Q637ZJH1kNphid9YXei7ydTBVZM52"})"},
      .negative_examples = {"eyJ0eXAiOiJKV1QifQ.eyJzdWIiOiJrZXl3YXJkLWZha2Utc3ViamVjdCIsImlzcyI6Imh0dHBzOi8vYXV0aC5rZXl3YXJkLmludmFsaWQiLCJpYXQiOjE3MDAwMDAwMDB9.KwFakeNk0NlOZ-odulYToGRs-UjYewsKEykvAaFurTt", "eyJhbGciOi.eyJzdWIiOi.abc"},
      .reference = "https://www.rfc-editor.org/rfc/rfc7519",
  });
  rules.push_back({
      .id = "http.basic_auth",
      .name = "HTTP Basic credentials in an Authorization header",
      .service = "HTTP",
      .category = Category::url_credential,
      .pattern = R"((?i:authorization)["']?\s{0,4}[:=]\s{0,4}["']?(?i:basic)\s{1,4}([A-Za-z0-9+/]{8,512}={0,2})(?:[^A-Za-z0-9+/=]|$))",
      .max_match_length = 560,
      .validate = validate_basic_credentials,
      .examples = {"Authorization: Basic ZGVwbG95LWJvdDpLeDltUTJ2TDdwUno=", R"(headers = {"Authorization": "Basic c3ZjOlRxM3dFOHJZNXVJbw=="})"},
      .negative_examples = {"Authorization: Basic dXNlcjpwYXNzd29yZA==", "Authorization: Basic $BASIC_AUTH"},
      .reference = "https://www.rfc-editor.org/rfc/rfc7617",
  });
  rules.push_back({
      .id = "http.bearer_token",
      .name = "Bearer token in an Authorization header",
      .service = "HTTP",
      .category = Category::url_credential,
      .pattern = R"((?i:authorization)["']?\s{0,4}[:=]\s{0,4}["']?(?i:bearer)\s{1,4}([A-Za-z0-9_~+/.=-]{16,1000})(?:[^A-Za-z0-9_~+/.=-]|$))",
      .max_match_length = 1050,
      .min_entropy = 3.5,
      .placeholder_filter = true,
      .examples = {"curl -H 'Authorization: Bearer KwFakeIjksWqNShBbEguicNSgMbKqCvstUXWL6x1' https://api.kwfake.invalid/v1/items"},
      .negative_examples = {"Authorization: Bearer <token>", "Authorization: Bearer ${ACCESS_TOKEN}", "Authorization: Bearer YOUR_ACCESS_TOKEN"},
      .reference = "https://www.rfc-editor.org/rfc/rfc6750#section-2.1",
  });
}

void add_url_credential_rules(std::vector<SecretRule>& rules) {
  rules.push_back({
      .id = "url.password",
      .name = "Password in a URL",
      .service = "URL",
      .category = Category::url_credential,
      .pattern = R"(\b(?:https?|ftps?|sftp|smtps?|imaps?|ldaps?|git|svn|ssh)://[^:@/\s"'<>]{1,128}:([^@/\s"'<>]{3,128})@[A-Za-z0-9.\[\]_-]{1,253})",
      .max_match_length = 520,
      .placeholder_filter = true,
      .examples = {"git remote add origin https://deploy:Mv8qT3xZ6nLw@git.kwfake.internal/team/app.git",
                   "SMTP_URL=smtps://alerts:Hr5!kP9wQ2zx@mail.kwfake.internal:465"},
      .negative_examples = {"https://user:password@example.com/", "https://kwfake.internal:8443/path", "https://${USER}:${PASS}@host"},
      .reference = "https://www.rfc-editor.org/rfc/rfc3986#section-3.2.1",
  });
  rules.push_back({
      .id = "curl.user_password",
      .name = "User and password in a curl command",
      .service = "curl",
      .category = Category::url_credential,
      .pattern = R"(\bcurl\b[^\n]{0,200}?\s(?:-u|--user)\s{1,4}["']?([^\s"':]{1,64}:[^\s"']{3,128}))",
      .max_match_length = 420,
      .placeholder_filter = true,
      .examples = {"curl -sS -u ci-bot:Wq4zN8vR2kTp https://nexus.kwfake.internal/service/rest/v1/status"},
      .negative_examples = {"curl -u $USER:$PASSWORD https://nexus.kwfake.internal/", "curl -u admin https://nexus.kwfake.internal/"},
      .reference = "https://curl.se/docs/manpage.html#-u",
  });
}

void add_kubernetes_rules(std::vector<SecretRule>& rules) {
  rules.push_back({
      .id = "kubernetes.bootstrap_token",
      .name = "Kubernetes bootstrap token",
      .service = "Kubernetes",
      .category = Category::cloud,
      .pattern = R"((?:--token(?:\s{1,4}|=)|(?i:bootstrap)[A-Za-z0-9_.-]{0,16}(?i:token)["']?\s{0,4}[:=]\s{0,4}["']?)([a-z0-9]{6}\.[a-z0-9]{16})\b)",
      .max_match_length = 72,
      .min_entropy = 3.0,
      .placeholder_filter = true,
      .examples = {"kubeadm join 10.0.0.10:6443 --token kw7f2q.thxw53gxqgs6mxr1 --discovery-token-ca-cert-hash sha256:6fa6cc4990d772bd493c15021b5e086ece81fab0b2353078298da79b42d34ae7"},
      .negative_examples = {"kubeadm join 10.0.0.10:6443 --token abcdef.0123456789abcdef", "--token <token>"},
      .reference = "https://kubernetes.io/docs/reference/access-authn-authz/bootstrap-tokens/",
  });
  rules.push_back({
      .id = "openshift.user_token",
      .name = "OpenShift user access token",
      .service = "OpenShift",
      .category = Category::cloud,
      .pattern = R"(\b(sha256~[A-Za-z0-9_-]{43})(?:[^A-Za-z0-9_-]|$))",
      .max_match_length = 52,
      .redact_prefix = 7,
      .examples = {"oc login --token=sha256~KwFakeW0vE5dyu4Mbr2J6xrL7iY-kqdLdDe61ucFz37 --server=https://api.kwfake.internal:6443"},
      .negative_examples = {"sha256~KwFake4Y2ApnHqZEGKTF", "sha256:1f31ec16989997d02b180e16143c0a8696e0a22b2aca776c3fb90b513bdd392f"},
      .reference = "https://docs.openshift.com/container-platform/4.16/authentication/managing-oauth-access-tokens.html",
  });
}

}  // namespace

void add_web_token_rules(std::vector<SecretRule>& rules) {
  add_header_rules(rules);
  add_url_credential_rules(rules);
  add_kubernetes_rules(rules);
}

}  // namespace keyward::secrets
