// train_grpo.py of the TRL bundle: TRL's GRPOTrainer over train.jsonl / valid.jsonl with the compiled reward
// (reward.py) and a GRPOConfig from settings.json; a TrainerCallback appends every log to metrics.jsonl (the line
// shape is in trlMetrics.ts). Written for TRL 1.9 (GRPOConfig: learning_rate, num_generations,
// max_completion_length, per_device_train_batch_size, ...; reward functions get the dataset columns as kwargs).
// Precision is decided here, at run time: GRPOConfig turns bf16 on whenever it is left unset, and transformers then
// refuses to start without a bf16 GPU ("Your setup doesn't support bf16/gpu.") — test/fixtures/vendor/trl.
export const TRAIN_GRPO_SOURCE = String.raw`"""GRPO with TRL on an RFT Studio dataset (written by rft train --backend trl --bundle-only).

Run it with launch.sh (accelerate launch train_grpo.py). settings.json holds the base model and the GRPOConfig
arguments; for one run, environment variables override them (RFT_MODEL, RFT_OUTPUT_DIR, RFT_MAX_STEPS,
RFT_METRICS_FILE, default metrics.jsonl next to this file), and so do GRPOConfig arguments on the command line:
    bash launch.sh --max_steps 20 --learning_rate 2e-6 --report_to=none
Precision: bf16 on a GPU that has it natively, fp16 on an older CUDA GPU, fp32 without CUDA, unless bf16 or fp16 is
set in settings.json or on the command line.
"""
import dataclasses
import datetime
import difflib
import json
import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)


def load_settings():
    with open(os.path.join(HERE, "settings.json"), encoding="utf-8") as handle:
        settings = json.load(handle)
    config = dict(settings["config"])
    config["output_dir"] = os.environ.get("RFT_OUTPUT_DIR", os.path.join(HERE, config.get("output_dir", "output")))
    if os.environ.get("RFT_MAX_STEPS"):
        config["max_steps"] = int(os.environ["RFT_MAX_STEPS"])
    return os.environ.get("RFT_MODEL", settings["model"]), config


def config_names(config_class):
    """The keyword arguments GRPOConfig takes (its dataclass fields, TrainingArguments' included)."""
    return {field.name for field in dataclasses.fields(config_class) if field.init}


def parse_value(text):
    """A command-line value: JSON where it parses (2e-6, 20, true, null, [...]), Python's True/False/None, else text."""
    try:
        return json.loads(text)
    except ValueError:
        return {"True": True, "False": False, "None": None}.get(text, text)


def argument_overrides(argv, names):
    """--name value / --name=value / --flag (true) pairs, each a GRPOConfig argument; anything else stops the run (exit 2)."""
    overrides = {}
    index = 0
    while index < len(argv):
        arg = argv[index]
        if not arg.startswith("--") or arg == "--":
            fail(f"{arg!r} is not a GRPOConfig override: give them as --name value (e.g. --max_steps 20)")
        name, has_value, value = arg[2:].partition("=")
        name = name.replace("-", "_")
        if not has_value:
            if index + 1 < len(argv) and not argv[index + 1].startswith("--"):
                index += 1
                value = argv[index]
            else:
                value = "true"
        if name not in names:
            near = difflib.get_close_matches(name, sorted(names), n=1)
            fail(f"--{name} is not a GRPOConfig argument" + (f" (did you mean --{near[0]}?)" if near else ""))
        overrides[name] = parse_value(value)
        index += 1
    return overrides


def fail(message):
    print(f"train_grpo.py: {message}", file=sys.stderr, flush=True)
    sys.exit(2)


def mixed_precision(config, torch):
    """bf16 / fp16 for GRPOConfig, unless the settings chose: bf16 where the GPU has it natively (compute capability 8+),
    fp16 on an older CUDA GPU, neither (fp32) without CUDA. torch's is_bf16_supported() says yes on a T4 by emulation,
    hence including_emulation=False."""
    if config.get("bf16") is not None or config.get("fp16") is not None:
        return {}
    if not torch.cuda.is_available():
        return {"bf16": False, "fp16": False}
    try:
        native = torch.cuda.is_bf16_supported(including_emulation=False)
    except TypeError:  # torch < 2.4 has no including_emulation
        native = torch.cuda.is_bf16_supported()
    return {"bf16": True, "fp16": False} if native else {"bf16": False, "fp16": True}


def metrics_line(state, kind, logs):
    """One line of metrics.jsonl: {"step", "epoch", "total_steps", "time", "kind", "metrics": {numeric logs}}."""
    metrics = {}
    for key, value in (logs or {}).items():
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            continue
        metrics[key] = value if math.isfinite(value) else None
    return {
        "step": int(state.global_step),
        "epoch": state.epoch,
        "total_steps": int(state.max_steps or 0),
        "time": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "kind": kind,
        "metrics": metrics,
    }


def main():
    import torch
    from datasets import load_dataset
    from transformers import TrainerCallback
    from trl import GRPOConfig, GRPOTrainer

    import reward as rft_reward

    class MetricsFileCallback(TrainerCallback):
        """Appends every log (train and eval) to metrics.jsonl, where RFT Studio's monitor reads it."""

        def __init__(self, path):
            self.path = path

        def _write(self, state, kind, logs):
            if not state.is_world_process_zero:
                return
            with open(self.path, "a", encoding="utf-8") as handle:
                handle.write(json.dumps(metrics_line(state, kind, logs)) + "\n")

        def on_log(self, args, state, control, logs=None, **kwargs):
            logs = logs or {}
            self._write(state, "eval" if any(key.startswith("eval_") for key in logs) else "train", logs)

        def on_train_end(self, args, state, control, **kwargs):
            self._write(state, "end", {})

    model, config = load_settings()
    config.update(argument_overrides(sys.argv[1:], config_names(GRPOConfig)))
    config.update(mixed_precision(config, torch))
    data = load_dataset("json", data_files={"train": os.path.join(HERE, "train.jsonl"), "valid": os.path.join(HERE, "valid.jsonl")})
    metrics_file = os.environ.get("RFT_METRICS_FILE", os.path.join(HERE, "metrics.jsonl"))
    trainer = GRPOTrainer(
        model=model,
        reward_funcs=rft_reward.reward,
        args=GRPOConfig(**config),
        train_dataset=data["train"],
        eval_dataset=data["valid"],
        callbacks=[MetricsFileCallback(metrics_file)],
    )
    trainer.train()
    trainer.save_model(config["output_dir"])


if __name__ == "__main__":
    main()
`;
