"""A DAO proposal written as YAML: the file's schema, validated with pydantic (harness/core/proposals/build.py
checks the actions against the ABI and encodes them).

A proposal file (see docs/governance.md and proposals/):

    title: Add USDC as a reward token and fund the grants programme
    description: |
      Markdown body shown by Tally under the title.
    actions:
      - contract: RevenueDistributor          # a name of the deployment manifest
        function: addRewardToken              # or a full signature for an overloaded function
        args: ["0x036CbD53842c5426634e7929541eC2318f3dCF7e"]
      - contract: ServiceToken
        function: transfer
        args: {to: "0x1111111111111111111111111111111111111111", value: "250000 AIS"}

Every action is executed by the TimelockController, in order, all or nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from harness.core.errors import ProposalError


class ActionSpec(BaseModel):
    """One call the timelock makes: `contract.function(*args)` sending `value` wei of ETH."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    contract: Annotated[str, Field(min_length=1)]
    function: Annotated[str, Field(min_length=1)]
    args: list[Any] | dict[str, Any] = Field(default_factory=list)
    value: Any = 0
    note: str | None = None


class ProposalFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    title: Annotated[str, Field(min_length=1, max_length=200)]
    description: str = ""
    actions: Annotated[list[ActionSpec], Field(min_length=1)]

    @field_validator("title")
    @classmethod
    def _one_line(cls, title: str) -> str:
        if "\n" in title or not title.strip():
            raise ValueError("must be one non-empty line")
        return title.strip()

    def text(self) -> str:
        """The description sent on chain: a Markdown `# title` line (what Tally shows as the title)
        then the body."""
        body = self.description.strip()
        return f"# {self.title}\n\n{body}" if body else f"# {self.title}"


def _location(loc: tuple[Any, ...]) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        elif part in ("list[any]", "dict[str,any]"):
            continue
        else:
            text += f".{part}" if text else str(part)
    return text or "(top level)"


def parse_proposal(data: Any, source: str = "<proposal>") -> ProposalFile:
    if not isinstance(data, dict):
        raise ProposalError(source, [f"(top level): must be a mapping with title, description, actions; got {type(data).__name__}"])
    try:
        return ProposalFile.model_validate(data)
    except ValidationError as error:
        problems = []
        seen = set()
        for item in error.errors():
            where = _location(tuple(item["loc"]))
            if where in seen:  # the args union reports one error per member
                continue
            seen.add(where)
            message = item["msg"].removeprefix("Value error, ")
            if where.endswith(".args"):
                message = "must be a list of arguments or a mapping of parameter name to argument"
            problems.append(f"{where}: {message}")
        raise ProposalError(source, problems) from None


def load_proposal(path: str | Path) -> ProposalFile:
    path = Path(path)
    if not path.is_file():
        raise ProposalError(str(path), ["(file): no such file"])
    try:
        data = yaml.safe_load(path.read_text())
    except yaml.YAMLError as error:
        raise ProposalError(str(path), [f"(file): not valid YAML: {error}"]) from None
    return parse_proposal(data, str(path))
