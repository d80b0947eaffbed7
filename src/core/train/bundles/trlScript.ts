// train_grpo.py of the TRL bundle: TRL's GRPOTrainer over train.jsonl / valid.jsonl with the compiled reward
// (reward.py) and a GRPOConfig from settings.json; a TrainerCallback appends every log to metrics.jsonl (the line
// shape is in trlMetrics.ts). Written for TRL 1.9 (GRPOConfig: learning_rate, num_generations,
// max_completion_length, per_device_train_batch_size, ...; reward functions get the dataset columns as kwargs).
export const TRAIN_GRPO_SOURCE = String.raw`"""GRPO with TRL on an RFT Studio dataset (written by rft train --backend trl --bundle-only).

Run it with launch.sh (accelerate launch train_grpo.py). settings.json holds the base model and the GRPOConfig
arguments; environment variables override them for one run: RFT_MODEL, RFT_OUTPUT_DIR, RFT_MAX_STEPS,
RFT_METRICS_FILE (default metrics.jsonl next to this file).
"""
import datetime
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
