// The names GRPOConfig takes in the TRL the bundle pins (trl 1.9.0 over transformers 4.57): its own fields, those
// trl's _BaseConfig overrides, and TrainingArguments' init fields. Copied from test/fixtures/vendor/trl/
// grpo_config_fields.json (PROVENANCE.md there says from where); trainTrl.test.ts asserts the two agree.

const GRPO_CONFIG_OWN = [
  'learning_rate', 'model_init_kwargs', 'trust_remote_code', 'router_aux_loss_coef', 'disable_dropout',
  'cast_lm_head_to_fp32', 'remove_unused_columns', 'num_generations', 'num_generations_eval',
  'max_completion_length', 'ds3_gather_for_generation', 'shuffle_dataset', 'pad_to_multiple_of',
  'generation_batch_size', 'steps_per_generation', 'temperature', 'top_p', 'top_k', 'min_p', 'generation_kwargs',
  'chat_template_kwargs', 'repetition_penalty', 'cache_implementation', 'use_vllm', 'vllm_mode', 'vllm_model_impl',
  'vllm_enable_sleep_mode', 'vllm_structured_outputs_regex', 'vllm_server_base_url', 'vllm_server_host',
  'vllm_server_port', 'vllm_server_timeout', 'vllm_group_port', 'vllm_gpu_memory_utilization',
  'vllm_max_model_length', 'vllm_tensor_parallel_size', 'beta', 'num_iterations', 'epsilon', 'delta',
  'epsilon_high', 'sapo_temperature_neg', 'sapo_temperature_pos', 'vespo_k_pos', 'vespo_lambda_pos', 'vespo_k_neg',
  'vespo_lambda_neg', 'importance_sampling_level', 'reward_weights', 'multi_objective_aggregation', 'scale_rewards',
  'loss_type', 'mask_truncated_completions', 'sync_ref_model', 'ref_model_mixup_alpha', 'ref_model_sync_steps',
  'top_entropy_quantile', 'entropy_coef', 'use_adaptive_entropy', 'entropy_coef_min', 'entropy_coef_max',
  'entropy_coef_delta', 'entropy_target', 'max_tool_calling_iterations', 'vllm_importance_sampling_correction',
  'vllm_importance_sampling_mode', 'vllm_importance_sampling_clip_max', 'vllm_importance_sampling_clip_min',
  'off_policy_mask_threshold', 'use_bias_correction_kl', 'log_completions', 'log_multimodal',
  'num_completions_to_print', 'log_unique_prompts', 'log_completions_hub_repo',
  'use_transformers_continuous_batching', 'transformers_continuous_batching_config', 'use_transformers_paged',
  'vllm_importance_sampling_cap',
];

const BASE_CONFIG = [
  'logging_steps', 'gradient_checkpointing', 'bf16', 'lr_scheduler_kwargs', 'use_liger_kernel',
  'torch_empty_cache_steps',
];

const TRAINING_ARGUMENTS = [
  'output_dir', 'overwrite_output_dir', 'do_train', 'do_eval', 'do_predict', 'eval_strategy',
  'prediction_loss_only', 'per_device_train_batch_size', 'per_device_eval_batch_size', 'per_gpu_train_batch_size',
  'per_gpu_eval_batch_size', 'gradient_accumulation_steps', 'eval_accumulation_steps', 'eval_delay',
  'torch_empty_cache_steps', 'learning_rate', 'weight_decay', 'adam_beta1', 'adam_beta2', 'adam_epsilon',
  'max_grad_norm', 'num_train_epochs', 'max_steps', 'lr_scheduler_type', 'lr_scheduler_kwargs', 'warmup_ratio',
  'warmup_steps', 'log_level', 'log_level_replica', 'log_on_each_node', 'logging_dir', 'logging_strategy',
  'logging_first_step', 'logging_steps', 'logging_nan_inf_filter', 'save_strategy', 'save_steps',
  'save_total_limit', 'save_safetensors', 'save_on_each_node', 'save_only_model',
  'restore_callback_states_from_checkpoint', 'no_cuda', 'use_cpu', 'use_mps_device', 'seed', 'data_seed',
  'jit_mode_eval', 'bf16', 'fp16', 'fp16_opt_level', 'half_precision_backend', 'bf16_full_eval', 'fp16_full_eval',
  'tf32', 'local_rank', 'ddp_backend', 'tpu_num_cores', 'tpu_metrics_debug', 'debug', 'dataloader_drop_last',
  'eval_steps', 'dataloader_num_workers', 'dataloader_prefetch_factor', 'past_index', 'run_name', 'disable_tqdm',
  'remove_unused_columns', 'label_names', 'load_best_model_at_end', 'metric_for_best_model', 'greater_is_better',
  'ignore_data_skip', 'fsdp', 'fsdp_min_num_params', 'fsdp_config', 'fsdp_transformer_layer_cls_to_wrap',
  'accelerator_config', 'parallelism_config', 'deepspeed', 'label_smoothing_factor', 'optim', 'optim_args',
  'adafactor', 'group_by_length', 'length_column_name', 'report_to', 'project', 'trackio_space_id',
  'ddp_find_unused_parameters', 'ddp_bucket_cap_mb', 'ddp_broadcast_buffers', 'dataloader_pin_memory',
  'dataloader_persistent_workers', 'skip_memory_metrics', 'use_legacy_prediction_loop', 'push_to_hub',
  'resume_from_checkpoint', 'hub_model_id', 'hub_strategy', 'hub_token', 'hub_private_repo', 'hub_always_push',
  'hub_revision', 'gradient_checkpointing', 'gradient_checkpointing_kwargs', 'include_inputs_for_metrics',
  'include_for_metrics', 'eval_do_concat_batches', 'fp16_backend', 'push_to_hub_model_id',
  'push_to_hub_organization', 'push_to_hub_token', 'mp_parameters', 'auto_find_batch_size', 'full_determinism',
  'torchdynamo', 'ray_scope', 'ddp_timeout', 'torch_compile', 'torch_compile_backend', 'torch_compile_mode',
  'include_tokens_per_second', 'include_num_input_tokens_seen', 'neftune_noise_alpha', 'optim_target_modules',
  'batch_eval_metrics', 'eval_on_start', 'use_liger_kernel', 'liger_kernel_config', 'eval_use_gather_object',
  'average_tokens_across_devices',
];

/** Every keyword argument `GRPOConfig(...)` accepts in trl 1.9.0. */
export const GRPO_CONFIG_FIELDS: ReadonlySet<string> = new Set([...GRPO_CONFIG_OWN, ...BASE_CONFIG, ...TRAINING_ARGUMENTS]);
