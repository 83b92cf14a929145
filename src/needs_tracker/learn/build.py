"""`needs-tracker train`: gather the examples, fit, and write the model with its manifest."""

from __future__ import annotations

from pathlib import Path

from ..errors import NeedsTrackerError
from .dataset import labelled_examples, labelled_sets, store_examples
from .model import CONFIDENCE_ONLY
from .runtime import PACKAGED_MODEL, store_model_path
from .train import fit, manifest, write

# Whether the shipped model decides which statements are needs, or only gives the rules' needs a
# calibrated confidence. It decides only where `needs-tracker eval --loo` shows it beats the rules
# alone pooled over the real sets without lowering the notes. After the prose rules of 2026-11-30
# (123 documents) it did not: pooled real needs F1 0.645 both (39 found, 13 false, 30 missed, the
# same counts), notes 0.99 both; so the shipped model only gives confidence. (Before those rules it
# won narrowly, 0.200 against 0.198.) Measure again when the rules change. A model trained on a
# store's review decisions always decides.
DEFAULT_DECIDES = False


def _relative(path: Path) -> str:
    """A labelled set's gold file relative to the checkout (../shared/... or tests/corpus/...)."""
    import os

    from .. import config

    checkout = config.checkout_dir()
    return Path(os.path.relpath(path, checkout)).as_posix() if checkout else str(path)


def _check_enough(examples: list, sets: list, store: str | None) -> None:
    """Refuse in one line when there are too few examples, saying what was found, where the
    labelled sets were looked for, and what to do: an installed package has none of them (they
    live in a source checkout), so its first `train` sees only a store's few review decisions."""
    from .. import config
    from ..wording import counted
    from .train import MIN_EACH, weighted_counts

    n_pos, n_neg = weighted_counts(examples)
    if n_pos >= MIN_EACH and n_neg >= MIN_EACH:
        return
    found = f"{counted(n_pos, 'need')} and {counted(n_neg, 'other statement')}"
    if store is not None:
        found += f" in the review decisions in {store}"
    checkout = config.checkout_dir()
    if sets:
        looked = "the labelled sets " + ", ".join(s.name for s in sets)
    elif checkout is None:
        looked = ("no labelled sets: they live in a source checkout (tests/corpus/ and ../shared/), "
                  "and this is an installed package")
    else:
        looked = f"no labelled sets in {checkout / 'tests' / 'corpus'} or {checkout.parent / 'shared'}"
    raise NeedsTrackerError(
        f"too little to train on: {found}, with {looked}; confirm at least {MIN_EACH} needs and reject at least "
        f"{MIN_EACH} on the Review page, or run `needs-tracker train` in a checkout that has the labelled sets")


def train_model(location: str | None = None, output: Path | None = None, *, with_store: bool = True,
                default: bool = False) -> tuple[Path, dict]:
    """Train on every labelled set present plus (unless ``default``) the store's review decisions.

    Writes to ``output``, else the packaged default (``default``), else beside the store.
    """
    from ..store import store_exists

    sets = labelled_sets()
    examples = labelled_examples(sets)
    sources = [f"{s.name}: {_relative(s.gold)}" for s in sets]
    if with_store and not default:
        if not store_exists(location):
            raise NeedsTrackerError(f"{location or 'the default store'}: no such store to learn from")
        decisions = store_examples(location)
        examples += decisions
        sources.append(f"review decisions in {location or 'the default store'}: {len(decisions)} statements")
    if default:
        path = PACKAGED_MODEL
    elif output is not None:
        path = Path(output)
    else:
        path = store_model_path(location)
        if path is None:
            raise NeedsTrackerError(f"{location}: not a store file; name the model file with -o")
    _check_enough(examples, sets, (location or 'the default store') if with_store and not default else None)
    model = fit(examples)
    if default and not DEFAULT_DECIDES:
        model.veto, model.add = CONFIDENCE_ONLY
    info = manifest(examples, sources, model)
    info["needs_shared_corpus"] = any(not s.name.startswith("tests/") for s in sets)
    write(model, info, path)
    return path, info
