"""Settings from the environment or `.env` (pydantic-settings); every field is documented in `.env.example`."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_ARTICLE = REPO_ROOT / "data" / "huawei-5g-base-stations.txt"
DEFAULT_INDEX_DIR = REPO_ROOT / "index"
PROMPTS_DIR = REPO_ROOT / "prompts"


class Settings(BaseSettings):
    # Empty values (as in a copied .env.example) mean "use the default".
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore", env_ignore_empty=True)

    # Corpus and index
    index_dir: Path = Field(DEFAULT_INDEX_DIR, alias="BOT_INDEX_DIR")
    articles: list[Path] = Field(default_factory=lambda: [DEFAULT_ARTICLE], alias="BOT_ARTICLES")

    # Retrieval
    top_k: int = Field(8, alias="BOT_TOP_K", ge=1, le=50)
    max_question_chars: int = Field(1000, alias="BOT_MAX_QUESTION_CHARS", ge=20)
    history_turns: int = Field(8, alias="BOT_HISTORY_TURNS", ge=0)

    # Answer engine (issue: generative answers)
    engine: Literal["extractive", "llm"] = Field("extractive", alias="BOT_ENGINE")
    # Who picks the offline answer among the options: the learned ranker (bot/data/ranker.txt) or the rules alone.
    ranker: Literal["learned", "rules"] = Field("learned", alias="BOT_RANKER")
    ranker_dir: Path = Field(REPO_ROOT / "bot" / "data", alias="BOT_RANKER_DIR")  # ranker.txt + ranker.json
    llm_model: str | None = Field(None, alias="LLM_MODEL")
    llm_base_url: str | None = Field(None, alias="LLM_BASE_URL")
    llm_api_key: SecretStr | None = Field(None, alias="LLM_API_KEY")
    llm_gguf_path: Path | None = Field(None, alias="LLM_GGUF_PATH")
    llm_timeout_s: float = Field(30.0, alias="LLM_TIMEOUT_S", gt=0)
    llm_temperature: float = Field(0.0, alias="LLM_TEMPERATURE", ge=0)
    llm_max_tokens: int = Field(256, alias="LLM_MAX_TOKENS", ge=16)
    llm_max_retries: int = Field(1, alias="LLM_MAX_RETRIES", ge=0)
    llm_output: Literal["auto", "json_schema", "function_calling", "json_mode", "text"] = Field("auto", alias="LLM_OUTPUT")
    llm_gguf_ctx: int = Field(4096, alias="LLM_GGUF_CTX", ge=512)
    llm_gguf_threads: int = Field(0, alias="LLM_GGUF_THREADS", ge=0)  # 0: half the CPUs

    # Discord adapter
    discord_token: SecretStr | None = Field(None, alias="DISCORD_TOKEN")
    discord_guild_ids: Annotated[list[int], NoDecode] = Field(default_factory=list, alias="DISCORD_GUILD_IDS")
    discord_channel_ids: Annotated[list[int], NoDecode] = Field(default_factory=list, alias="DISCORD_CHANNEL_IDS")
    discord_allow_dms: bool = Field(True, alias="DISCORD_ALLOW_DMS")
    discord_cooldown_s: float = Field(3.0, alias="DISCORD_COOLDOWN_S", ge=0)
    discord_history_ttl_s: float = Field(3600.0, alias="DISCORD_HISTORY_TTL_S", gt=0)
    discord_max_conversations: int = Field(1000, alias="DISCORD_MAX_CONVERSATIONS", ge=1)
    discord_api_base: str | None = Field(None, alias="DISCORD_API_BASE")
    discord_message_content: bool = Field(True, alias="DISCORD_MESSAGE_CONTENT")
    discord_sync_commands: bool = Field(True, alias="DISCORD_SYNC_COMMANDS")
    discord_workers: int = Field(4, alias="DISCORD_WORKERS", ge=1, le=64)

    @field_validator("discord_guild_ids", "discord_channel_ids", mode="before")
    @classmethod
    def _id_list(cls, value: object) -> object:
        """Accept `123,456` (or spaces) as well as a JSON list, as people paste ids from Discord."""
        if isinstance(value, str):
            text = value.strip().strip("[]")
            return [part for part in text.replace(",", " ").split() if part]
        return value

    log_level: str = Field("WARNING", alias="BOT_LOG_LEVEL")
    # Threads per embedding call: on this 2-core machine two cut a question's p50 by 5–8 ms (bench/README.md).
    model_threads: int = Field(2, alias="BOT_MODEL_THREADS", ge=1, le=64)
    # The embedding model's ONNX graph, exported from the installed weights on first use.
    model_cache_dir: Path = Field(REPO_ROOT / ".cache", alias="BOT_MODEL_CACHE_DIR")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
