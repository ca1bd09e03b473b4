// AI and machine-learning platform keys: OpenAI, Anthropic, Hugging Face, Groq, Perplexity, Cohere,
// Replicate, xAI, Mistral, DeepSeek, OpenRouter, LangSmith, Weights & Biases and others.

#include "secrets/rules/rule_lists.hpp"

namespace keyward::secrets {
namespace {

// OpenAI keys carry "T3BlbkFJ", base64 of "OpenAI", between two random halves.
void add_openai_and_anthropic_rules(std::vector<SecretRule>& rules) {
  rules.push_back({
      .id = "openai.api_key",
      .name = "OpenAI API key (user key format)",
      .service = "OpenAI",
      .category = Category::ai,
      .pattern = R"(\b(sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20})\b)",
      .max_match_length = 51,
      .redact_prefix = 3,
      .examples = {"OPENAI_API_KEY=sk-KwFake2QhD17sGvT3Vi5T3BlbkFJKwFakeeR67tf9VhXQFuc"},
      .negative_examples = {"sk-KwFake1A4gW8pqUGqWvPwB1IytvvNojjZOWydhM0J8mGGKpK", "sk-KwFakeLmByDRUo0k8y8vT3BlbkFXKwFakec5jWB6hsAfXSkF"},
      .reference = "https://platform.openai.com/docs/api-reference/authentication",
  });
  rules.push_back({
      .id = "openai.project_key",
      .name = "OpenAI project API key",
      .service = "OpenAI",
      .category = Category::ai,
      .pattern = R"(\b(sk-(?:proj|None)-[A-Za-z0-9_-]{20,200}T3BlbkFJ[A-Za-z0-9_-]{20,200})(?:[^A-Za-z0-9_-]|$))",
      .max_match_length = 430,
      .redact_prefix = 8,
      .examples = {"OPENAI_API_KEY=sk-proj-KwFake9ygScTWQqRV253F44ki4qfm8EzA_r4b_BSnl5dqweEQRvl1MwppP5H_Tz_QfMNmoqt57T3BlbkFJKwFakeJi9pS1dI2wTzImiHdIbMqG-pdKF0ADX1XjBAFCTuL9BL9AQ2YBWIlGv34k0kt589apWU"},
      .negative_examples = {"sk-proj-KwFakeEYQvwextPLtSkQ46dbyZQWumVxBEpxntBEM6yzA6swOYOk6FhBmUB_7agcB9BwP7DzeStbJ7slYHdFF_x-BxbuP1FiT9aKsLUtkOc3tEanNr5IejOZrTCMX7mxJQNIwyIauyEpbRVoYLFxZZ", "sk-proj-dOavbg2q19T3BlbkFJKwFake0vKvnYfIf_Qs3CQMS_criMjnF2HHmw-akSfKzQtuiSXSYSEY-xfjfUTj_c3Bl83jq5AZ"},
      .reference = "https://platform.openai.com/docs/api-reference/authentication",
  });
  rules.push_back({
      .id = "openai.service_account_key",
      .name = "OpenAI service account API key",
      .service = "OpenAI",
      .category = Category::ai,
      .pattern = R"(\b(sk-svcacct-[A-Za-z0-9_-]{20,200}T3BlbkFJ[A-Za-z0-9_-]{20,200})(?:[^A-Za-z0-9_-]|$))",
      .max_match_length = 430,
      .redact_prefix = 11,
      .examples = {"OPENAI_API_KEY=sk-svcacct-KwFakeBe89Egl3imGgTkYtTTLd8uyUavhX3IFI5gkCVuG5fIkxTIGzgcKSJq-5jUMlWQzECdUyT3BlbkFJKwFakePyK8Yt6ahSWenaqp9jZcRzCfl7HwF0EFNCJNjHWEUuoaGsdRyel_GMsM-Vt3lRx_lDNo"},
      .negative_examples = {"sk-svcacct-KwFakeUS80qFQta74_3F8Uidfmepm1IqKRDfkngVsY6AeN9WpG3l8zKk1H94OEOuUKYoo9e3zCWq1AbRadaSFq8g0WltZPI8gtFRUgbKwvULKomQo1dugGnjhDQtUbXwjBQwWhafoCH_0jsbBt-SIJ"},
      .reference = "https://platform.openai.com/docs/api-reference/authentication",
  });
  rules.push_back({
      .id = "openai.admin_key",
      .name = "OpenAI admin API key",
      .service = "OpenAI",
      .category = Category::ai,
      .pattern = R"(\b(sk-admin-[A-Za-z0-9_-]{20,200}T3BlbkFJ[A-Za-z0-9_-]{20,200})(?:[^A-Za-z0-9_-]|$))",
      .max_match_length = 430,
      .redact_prefix = 9,
      .examples = {"OPENAI_ADMIN_KEY=sk-admin-KwFakeKmvQT7gcagYtQY673N5HyNQA4OsPdNq9MccgbqGkIqNu2SJrT86NT3BlbkFJKwFakeLEVmNWB4DITUJPt8MjSpU2quagRhQOWQVsr3WBPYMoaB5su-BiRb"},
      .negative_examples = {"sk-admin-KwFakeMsTRYE04f01_EU_e22YQb1rzx0EZ0MlWE5v01zFVUc5k39ev7_4so3xgwUEkXQu-Zy_pDkh5s-pAP2sVjfYBqA0qRMLFC6BPZ_gaEux7Jbfsze1tFe"},
      .reference = "https://platform.openai.com/docs/api-reference/administration",
  });
}

void add_anthropic_rules(std::vector<SecretRule>& rules) {
  rules.push_back({
      .id = "anthropic.api_key",
      .name = "Anthropic API key",
      .service = "Anthropic",
      .category = Category::ai,
      .pattern = R"(\b(sk-ant-api03-[A-Za-z0-9_-]{93}AA)(?:[^A-Za-z0-9_-]|$))",
      .max_match_length = 110,
      .redact_prefix = 13,
      .examples = {"ANTHROPIC_API_KEY=sk-ant-api03-KwFakeAu4mCBgWvk_nowmfdQe5J7-n2YAfTHN2J088gp0LTLN1tgGHitcsAd_a5GnviVBkO2uyNO4uiIWQXQ33s1qkBnrAA"},
      .negative_examples = {"sk-ant-api03-KwFakePRwOwnwmvf-F2ULshxEmshjU9fHY62vmVKfK1_YEE00TeafyHmHn3uAA", "sk-ant-api03-KwFakeF6gOPG6jZtDkaw0TRrbO0nk16RBSq9AfZTdlb0HEUrZmJ9CfokmLptZaWmZt2iK-Oj8NM3kmVEV88AJ7kQJViWzBB"},
      .reference = "https://docs.anthropic.com/en/api/getting-started",
  });
  rules.push_back({
      .id = "anthropic.admin_key",
      .name = "Anthropic Admin API key",
      .service = "Anthropic",
      .category = Category::ai,
      .pattern = R"(\b(sk-ant-admin01-[A-Za-z0-9_-]{93}AA)(?:[^A-Za-z0-9_-]|$))",
      .max_match_length = 112,
      .redact_prefix = 15,
      .examples = {"ANTHROPIC_ADMIN_KEY=sk-ant-admin01-KwFakeByl51zQ57nxzoj2RKNbmrCV8OZZY7xa8NO4OzYxEH8IZHTc6L0490RjUWCSa9cyBA6TR0P1GZMu3rFnx9ijDeqyAA"},
      .negative_examples = {"sk-ant-admin01-KwFakeTNS1maKhhkhiM0ZA9RTtbfc5wpb9zs2RY-ByzPwKgrP3teSRi_RNmzAA"},
      .reference = "https://docs.anthropic.com/en/api/administration-api",
  });
}

void add_model_host_rules(std::vector<SecretRule>& rules) {
  rules.push_back({
      .id = "huggingface.access_token",
      .name = "Hugging Face user access token",
      .service = "Hugging Face",
      .category = Category::ai,
      .pattern = R"(\b(hf_[A-Za-z]{34})\b)",
      .max_match_length = 37,
      .min_entropy = 3.5,
      .redact_prefix = 3,
      .examples = {"HF_TOKEN=hf_KwFakeJwTEDyNYGJGlVTkXijTfywCoVWyx"},
      .negative_examples = {"hf_KwFakejhnJvIKubpgpXA", "hf_BLitOnJsQRKaH1edpPnKcjRC37xIbSkekV1"},
      .reference = "https://huggingface.co/docs/hub/security-tokens",
  });
  rules.push_back({
      .id = "huggingface.org_api_token",
      .name = "Hugging Face organization API token (legacy)",
      .service = "Hugging Face",
      .category = Category::ai,
      .pattern = R"(\b(api_org_[A-Za-z]{34})\b)",
      .max_match_length = 42,
      .min_entropy = 3.5,
      .redact_prefix = 8,
      .examples = {"HUGGINGFACE_ORG_TOKEN=api_org_KwFakeqagAzHhhJPcnjHqVBTHdnohqnBUI"},
      .negative_examples = {"api_org_KwFakeqeogLHrYEkIWRV"},
      .reference = "https://huggingface.co/docs/hub/security-tokens",
  });
  rules.push_back({
      .id = "groq.api_key",
      .name = "Groq API key",
      .service = "Groq",
      .category = Category::ai,
      .pattern = R"(\b(gsk_[A-Za-z0-9]{52})\b)",
      .max_match_length = 56,
      .redact_prefix = 4,
      .examples = {"GROQ_API_KEY=gsk_KwFakecZUvhXhN219xSuff1IkWcd1yxjZMin39MyB1a0Se6TPOM6"},
      .negative_examples = {"gsk_KwFakeDaZORG5BRdRKNb8TiuS6LMqH", "gsk_KwFakeWqPwwtEYuh6bWsN6HvinxmKVEFyqVf4V0fqDuLdoVMCGfCHTzeNNac"},
      .reference = "https://console.groq.com/docs/quickstart",
  });
  rules.push_back({
      .id = "perplexity.api_key",
      .name = "Perplexity API key",
      .service = "Perplexity",
      .category = Category::ai,
      .pattern = R"(\b(pplx-[A-Za-z0-9]{48})\b)",
      .max_match_length = 53,
      .redact_prefix = 5,
      .examples = {"PERPLEXITY_API_KEY=pplx-KwFakevoqzNReYRT8ujLqvbMgDM6STRxldeQH5MwtFjOjVbu"},
      .negative_examples = {"pplx-KwFakeYI76tGad0UDHI3WJgcn8b4Sk"},
      .reference = "https://docs.perplexity.ai/guides/getting-started",
  });
  rules.push_back({
      .id = "replicate.api_token",
      .name = "Replicate API token",
      .service = "Replicate",
      .category = Category::ai,
      .pattern = R"(\b(r8_[A-Za-z0-9]{37})\b)",
      .max_match_length = 40,
      .min_entropy = 3.5,
      .redact_prefix = 3,
      .examples = {"REPLICATE_API_TOKEN=r8_KwFakeVvIDxJZMAkkGKP7HasyyEowi73hb2yQ"},
      .negative_examples = {"r8_KwFake2Cs4I0EBWZBcqJ", "r8_KwFake5JYmBBdGSDyqTlwRp3EciU8p1X7cGaMAdO"},
      .reference = "https://replicate.com/docs/topics/security/api-tokens",
  });
}

void add_model_api_rules(std::vector<SecretRule>& rules) {
  rules.push_back({
      .id = "xai.api_key",
      .name = "xAI API key",
      .service = "xAI",
      .category = Category::ai,
      .pattern = R"(\b(xai-[A-Za-z0-9]{80})\b)",
      .max_match_length = 84,
      .redact_prefix = 4,
      .examples = {"XAI_API_KEY=xai-KwFakeJUS3Ao96ZadS8smofgjPPyuvlrCDeEA0aQIih9KIW2w7GdcLnQpAyxLtwIdU6UAAjwT6US37C9"},
      .negative_examples = {"xai-KwFakeQUudchEqLEnNb9tQBGU6La8J37tepqZpFu"},
      .reference = "https://docs.x.ai/docs/overview",
  });
  rules.push_back({
      .id = "openrouter.api_key",
      .name = "OpenRouter API key",
      .service = "OpenRouter",
      .category = Category::ai,
      .pattern = R"(\b(sk-or-v1-[a-f0-9]{64})\b)",
      .max_match_length = 74,
      .redact_prefix = 10,
      .examples = {"OPENROUTER_API_KEY=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"},
      .negative_examples = {"sk-or-v1-d62a626f383e9550f6dba748b1b005777a4c751e"},
      .reference = "https://openrouter.ai/docs/api-reference/authentication",
  });
  rules.push_back({
      .id = "langsmith.api_key",
      .name = "LangSmith API key",
      .service = "LangSmith",
      .category = Category::ai,
      .pattern = R"(\b(lsv2_(?:pt|sk)_[a-f0-9]{32}_[a-f0-9]{10})\b)",
      .max_match_length = 52,
      .redact_prefix = 8,
      .examples = {"LANGSMITH_API_KEY=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", "LANGCHAIN_API_KEY=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"},
      .negative_examples = {"lsv2_pt_2d76329ddffd5bcfd6b48023b4db21a1", "lsv2_xx_c637d1f5e59dd4b8d02826152376923b_f957482fc8"},
      .reference = "https://docs.smith.langchain.com/administration/how_to_guides/organization_management/create_account_api_key",
  });
}

void add_search_and_tool_rules(std::vector<SecretRule>& rules) {
  rules.push_back({
      .id = "tavily.api_key",
      .name = "Tavily API key",
      .service = "Tavily",
      .category = Category::ai,
      .pattern = R"(\b(tvly-(?:dev-|prod-)?[A-Za-z0-9]{32})\b)",
      .max_match_length = 42,
      .redact_prefix = 5,
      .examples = {"TAVILY_API_KEY=tvly-dev-KwFakeFsAn2IC9LvQIXarepLQns0MO7E", "TAVILY_API_KEY=tvly-KwFake9Q1gjmpdMnMqoxFX9OOiWFHyCc"},
      .negative_examples = {"tvly-KwFakeBTTEVIhXTw9xg1"},
      .reference = "https://docs.tavily.com/documentation/quickstart",
  });
  rules.push_back({
      .id = "firecrawl.api_key",
      .name = "Firecrawl API key",
      .service = "Firecrawl",
      .category = Category::ai,
      .pattern = R"(\b(fc-[a-f0-9]{32})\b)",
      .max_match_length = 35,
      .min_entropy = 3.0,
      .redact_prefix = 3,
      .examples = {"FIRECRAWL_API_KEY=fc-fdc27e1a93243b368bcb5ef88d319585"},
      .negative_examples = {"fc-b9784210de393139fcf4", "fc-KwFakeSGti1qh140A5dY9QsPehoNpTDK"},
      .reference = "https://docs.firecrawl.dev/introduction",
  });
  rules.push_back({
      .id = "jina.api_key",
      .name = "Jina AI API key",
      .service = "Jina AI",
      .category = Category::ai,
      .pattern = R"(\b(jina_[A-Za-z0-9_-]{60})(?:[^A-Za-z0-9_-]|$))",
      .max_match_length = 68,
      .min_entropy = 3.5,
      .redact_prefix = 5,
      .examples = {"JINA_API_KEY=jina_KwFakekAixaFkgYrzzyjWelED3-TPjwKGSH0O6LqwQACFkAqrxSwVEw_x0zT"},
      .negative_examples = {"jina_KwFakeiyFxVfoj5ajfkLckuqbkfVbT"},
      .reference = "https://jina.ai/embeddings/",
  });
}

// Keys without a prefix, found only next to a keyword naming the service.
void add_labelled_ai_rules(std::vector<SecretRule>& rules) {
  rules.push_back({
      .id = "cohere.api_key",
      .name = "Cohere API key",
      .service = "Cohere",
      .category = Category::ai,
      .pattern = R"((?i:cohere[_.-]?(?:api[_.-]?)?(?:key|token)|\bco[_.-]api[_.-]key)[A-Za-z0-9_.-]{0,8}["']?\s{0,4}(?::=|=>|=|:)\s{0,4}["']?([A-Za-z0-9]{40})\b)",
      .max_match_length = 90,
      .min_entropy = 3.5,
      .placeholder_filter = true,
      .examples = {"COHERE_API_KEY=KwFake9S2zdfa0om3M2rjolQPJ7VK1RFnTdcvJmf", "CO_API_KEY=KwFakeme8t0hEVrJ7jMHVAIBXvGuSymqKrkIfapg"},
      .negative_examples = {"COHERE_API_KEY=KwFakeyfhztN1ZM9hRn7AleUw8XH0G", "COHERE_MODEL=KwFakeN10sQUNzXeGgO2hW3oG8GDKXug7CBTE3CO"},
      .reference = "https://docs.cohere.com/reference/about",
  });
  rules.push_back({
      .id = "mistral.api_key",
      .name = "Mistral AI API key",
      .service = "Mistral AI",
      .category = Category::ai,
      .pattern = R"((?i:mistral)[A-Za-z0-9_.-]{0,24}(?i:key|token)[A-Za-z0-9_.-]{0,8}["']?\s{0,4}(?::=|=>|=|:)\s{0,4}["']?([A-Za-z0-9]{32})\b)",
      .max_match_length = 90,
      .min_entropy = 3.5,
      .placeholder_filter = true,
      .examples = {"MISTRAL_API_KEY=KwFakepcFipsXYnMEaQpgnGsJHHkMDz3"},
      .negative_examples = {"MISTRAL_API_KEY=KwFakerenvE1BD8eWZa1", "MISTRAL_MODEL=KwFakeQ9X26PrCWv63nQZ8CJrVbaNLGY"},
      .reference = "https://docs.mistral.ai/getting-started/quickstart/",
  });
  rules.push_back({
      .id = "deepseek.api_key",
      .name = "DeepSeek API key",
      .service = "DeepSeek",
      .category = Category::ai,
      .pattern = R"((?i:deepseek)[A-Za-z0-9_.-]{0,24}(?i:key|token)[A-Za-z0-9_.-]{0,8}["']?\s{0,4}(?::=|=>|=|:)\s{0,4}["']?(sk-[a-f0-9]{32})\b)",
      .max_match_length = 96,
      .redact_prefix = 3,
      .examples = {"DEEPSEEK_API_KEY=sk-bbbdbbaeb33c9cc82fb03b4bddb7a5a3"},
      .negative_examples = {"DEEPSEEK_API_KEY=sk-a0f79848d58ecf664af5", "OPENAI_API_KEY=sk-6c4840aca2de1f22609aed9405bf1935"},
      .reference = "https://api-docs.deepseek.com/",
  });
  rules.push_back({
      .id = "wandb.api_key",
      .name = "Weights & Biases API key",
      .service = "Weights & Biases",
      .category = Category::ai,
      .pattern = R"((?i:wandb)[A-Za-z0-9_.-]{0,24}(?i:key)[A-Za-z0-9_.-]{0,8}["']?\s{0,4}(?::=|=>|=|:)\s{0,4}["']?([a-f0-9]{40})\b)",
      .max_match_length = 90,
      .min_entropy = 3.0,
      .examples = {"WANDB_API_KEY=d6601ad4dfe209fe265af60d87dc6bb9ec451355"},
      .negative_examples = {"WANDB_API_KEY=37c16ec95faf18f3e27cd1a2ce3f0e90", "WANDB_RUN_ID=015f979156ce8000af34654838c5fecf4d799c04"},
      .reference = "https://docs.wandb.ai/guides/track/environment-variables/",
  });
}

}  // namespace

void add_ai_rules(std::vector<SecretRule>& rules) {
  add_openai_and_anthropic_rules(rules);
  add_anthropic_rules(rules);
  add_model_host_rules(rules);
  add_model_api_rules(rules);
  add_search_and_tool_rules(rules);
  add_labelled_ai_rules(rules);
}

}  // namespace keyward::secrets
