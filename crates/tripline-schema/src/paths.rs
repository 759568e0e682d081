//! Every field path the code uses, as constants: ECS 8.17 dotted names are the canonical
//! vocabulary for rules, pipelines and the ECS view. Paths outside ECS live under `tripline.`.

#![allow(missing_docs)] // each constant is its own documentation: the ECS field of that name

pub const TIMESTAMP: &str = "@timestamp";
pub const MESSAGE: &str = "message";
pub const TAGS: &str = "tags";
pub const LABELS: &str = "labels";

pub const EVENT_ID: &str = "event.id";
pub const EVENT_ACTION: &str = "event.action";
pub const EVENT_OUTCOME: &str = "event.outcome";
pub const EVENT_KIND: &str = "event.kind";
pub const EVENT_CATEGORY: &str = "event.category";
pub const EVENT_TYPE: &str = "event.type";
pub const EVENT_MODULE: &str = "event.module";
pub const EVENT_DATASET: &str = "event.dataset";
pub const EVENT_CODE: &str = "event.code";
pub const EVENT_SEQUENCE: &str = "event.sequence";
pub const EVENT_SEVERITY: &str = "event.severity";
pub const EVENT_CREATED: &str = "event.created";
pub const EVENT_ORIGINAL: &str = "event.original";
pub const LOG_LEVEL: &str = "log.level";
pub const LOG_FILE_PATH: &str = "log.file.path";
pub const LOG_OFFSET: &str = "log.offset";

pub const HOST_NAME: &str = "host.name";
pub const HOST_ID: &str = "host.id";
pub const HOST_IP: &str = "host.ip";
pub const HOST_ARCHITECTURE: &str = "host.architecture";

pub const CONTAINER_ID: &str = "container.id";
pub const CONTAINER_NAME: &str = "container.name";
pub const CONTAINER_IMAGE_NAME: &str = "container.image.name";
pub const CONTAINER_IMAGE_TAG: &str = "container.image.tag";
pub const CONTAINER_IMAGE_HASH_ALL: &str = "container.image.hash.all";
pub const CONTAINER_RUNTIME: &str = "container.runtime";
pub const CONTAINER_LABELS: &str = "container.labels";
pub const CONTAINER_PRIVILEGED: &str = "container.security_context.privileged";
pub const TRIPLINE_CONTAINER_SHORT_ID: &str = "tripline.container.short_id";

pub const ORCHESTRATOR_NAMESPACE: &str = "orchestrator.namespace";
pub const ORCHESTRATOR_RESOURCE_NAME: &str = "orchestrator.resource.name";
pub const ORCHESTRATOR_RESOURCE_ID: &str = "orchestrator.resource.id";
pub const ORCHESTRATOR_CLUSTER_NAME: &str = "orchestrator.cluster.name";

pub const PROCESS_PID: &str = "process.pid";
pub const PROCESS_VPID: &str = "process.vpid";
pub const PROCESS_THREAD_ID: &str = "process.thread.id";
pub const PROCESS_ENTITY_ID: &str = "process.entity_id";
pub const PROCESS_EXECUTABLE: &str = "process.executable";
pub const PROCESS_NAME: &str = "process.name";
pub const PROCESS_ARGS: &str = "process.args";
pub const PROCESS_ARGS_COUNT: &str = "process.args_count";
pub const PROCESS_COMMAND_LINE: &str = "process.command_line";
pub const PROCESS_TITLE: &str = "process.title";
pub const PROCESS_WORKING_DIRECTORY: &str = "process.working_directory";
pub const PROCESS_START: &str = "process.start";
pub const PROCESS_EXIT_CODE: &str = "process.exit_code";
pub const PROCESS_USER_ID: &str = "process.user.id";
pub const PROCESS_USER_NAME: &str = "process.user.name";
pub const PROCESS_REAL_USER_ID: &str = "process.real_user.id";
pub const PROCESS_REAL_USER_NAME: &str = "process.real_user.name";
pub const PROCESS_SAVED_USER_ID: &str = "process.saved_user.id";
pub const PROCESS_SAVED_USER_NAME: &str = "process.saved_user.name";
pub const PROCESS_GROUP_ID: &str = "process.group.id";
pub const PROCESS_GROUP_NAME: &str = "process.group.name";
pub const PROCESS_REAL_GROUP_ID: &str = "process.real_group.id";
pub const PROCESS_REAL_GROUP_NAME: &str = "process.real_group.name";
pub const PROCESS_SAVED_GROUP_ID: &str = "process.saved_group.id";
pub const PROCESS_SAVED_GROUP_NAME: &str = "process.saved_group.name";
pub const PROCESS_PARENT_PID: &str = "process.parent.pid";
pub const PROCESS_PARENT_EXECUTABLE: &str = "process.parent.executable";
pub const PROCESS_PARENT_NAME: &str = "process.parent.name";
pub const PROCESS_PARENT_COMMAND_LINE: &str = "process.parent.command_line";
pub const PROCESS_PARENT_ENTITY_ID: &str = "process.parent.entity_id";
pub const TRIPLINE_PROCESS_TTY: &str = "tripline.process.tty";
pub const TRIPLINE_PROCESS_SESSION_ID: &str = "tripline.process.session_id";
pub const TRIPLINE_PROCESS_INTERPRETER: &str = "tripline.process.interpreter";

pub const USER_ID: &str = "user.id";
pub const USER_NAME: &str = "user.name";
pub const USER_EFFECTIVE_ID: &str = "user.effective.id";
pub const USER_EFFECTIVE_NAME: &str = "user.effective.name";
pub const USER_TARGET_ID: &str = "user.target.id";
pub const USER_TARGET_NAME: &str = "user.target.name";
pub const GROUP_ID: &str = "group.id";
pub const GROUP_NAME: &str = "group.name";

pub const FILE_PATH: &str = "file.path";
pub const FILE_NAME: &str = "file.name";
pub const FILE_DIRECTORY: &str = "file.directory";
pub const FILE_EXTENSION: &str = "file.extension";
pub const FILE_TYPE: &str = "file.type";
pub const FILE_INODE: &str = "file.inode";
pub const FILE_DEVICE: &str = "file.device";
pub const FILE_MODE: &str = "file.mode";
pub const FILE_UID: &str = "file.uid";
pub const FILE_GID: &str = "file.gid";
pub const FILE_OWNER: &str = "file.owner";
pub const FILE_GROUP: &str = "file.group";
pub const FILE_SIZE: &str = "file.size";
pub const FILE_TARGET_PATH: &str = "file.target_path";
pub const TRIPLINE_FILE_OPERATION: &str = "tripline.file.operation";

pub const SOURCE_IP: &str = "source.ip";
pub const SOURCE_PORT: &str = "source.port";
pub const SOURCE_DOMAIN: &str = "source.domain";
pub const SOURCE_ADDRESS: &str = "source.address";
pub const DESTINATION_IP: &str = "destination.ip";
pub const DESTINATION_PORT: &str = "destination.port";
pub const DESTINATION_DOMAIN: &str = "destination.domain";
pub const DESTINATION_ADDRESS: &str = "destination.address";
pub const NETWORK_TRANSPORT: &str = "network.transport";
pub const NETWORK_DIRECTION: &str = "network.direction";
pub const TRIPLINE_NETWORK_OPERATION: &str = "tripline.network.operation";

pub const RULE_ID: &str = "rule.id";
pub const RULE_NAME: &str = "rule.name";
pub const RULE_DESCRIPTION: &str = "rule.description";
pub const RULE_AUTHOR: &str = "rule.author";
pub const RULE_RULESET: &str = "rule.ruleset";
pub const RULE_CATEGORY: &str = "rule.category";
pub const RULE_VERSION: &str = "rule.version";
pub const RULE_LICENSE: &str = "rule.license";
pub const RULE_REFERENCE: &str = "rule.reference";
pub const THREAT_FRAMEWORK: &str = "threat.framework";
pub const THREAT_TACTIC_ID: &str = "threat.tactic.id";
pub const THREAT_TACTIC_NAME: &str = "threat.tactic.name";
pub const THREAT_TECHNIQUE_ID: &str = "threat.technique.id";
pub const THREAT_TECHNIQUE_NAME: &str = "threat.technique.name";
pub const THREAT_SUBTECHNIQUE_ID: &str = "threat.technique.subtechnique.id";

pub const TRIPLINE_KIND: &str = "tripline.kind";
pub const TRIPLINE_SEVERITY_ORIGINAL: &str = "tripline.severity.original";
pub const TRIPLINE_LOG_STREAM: &str = "tripline.log.stream";
pub const TRIPLINE_DOCKER_OBJECT_TYPE: &str = "tripline.docker.object_type";
pub const TRIPLINE_DOCKER_ACTION: &str = "tripline.docker.action";
pub const TRIPLINE_DOCKER_DETAIL: &str = "tripline.docker.detail";
pub const TRIPLINE_DOCKER_EXEC_ID: &str = "tripline.docker.exec_id";
pub const TRIPLINE_DOCKER_ATTRIBUTES: &str = "tripline.docker.attributes";
pub const TRIPLINE_FINDING_EVIDENCE: &str = "tripline.finding.evidence";
pub const TRIPLINE_FINDING_EVENT_TYPE: &str = "tripline.finding.event_type";
pub const TRIPLINE_AUTH_OPERATION: &str = "tripline.auth.operation";
pub const TRIPLINE_ACCOUNT_OPERATION: &str = "tripline.account.operation";
pub const TRIPLINE_IDENTITY_OPERATION: &str = "tripline.identity.operation";

// Added with the ECS and OCSF views.
pub const EVENT_RISK_SCORE_NORM: &str = "event.risk_score_norm";
pub const EVENT_START: &str = "event.start";
pub const EVENT_END: &str = "event.end";
pub const RELATED_USER: &str = "related.user";
pub const RELATED_IP: &str = "related.ip";
pub const THREAT_SUBTECHNIQUE_NAME: &str = "threat.technique.subtechnique.name";
pub const TRIPLINE_LOG_OFFSET: &str = "tripline.log.offset";
pub const TRIPLINE_LOG_LINE: &str = "tripline.log.line";
pub const TRIPLINE_LOG_PARTIAL_CHUNKS: &str = "tripline.log.partial.chunks";
pub const TRIPLINE_LOG_PARTIAL_COMPLETE: &str = "tripline.log.partial.complete";
pub const TRIPLINE_LOG_PARTIAL_FLUSH_REASON: &str = "tripline.log.partial.flush_reason";
pub const TRIPLINE_CONTAINER_IMAGE_ID: &str = "tripline.container.image.id";
pub const TRIPLINE_PROCESS_FS_USER: &str = "tripline.process.fs_user";
pub const TRIPLINE_PROCESS_FS_GROUP: &str = "tripline.process.fs_group";
pub const TRIPLINE_PROCESS_SIGNAL: &str = "tripline.process.signal";
/// The operation of a process access (`attach`, `read`, `write`).
pub const TRIPLINE_PROCESS_ACCESS_OPERATION: &str = "tripline.process_access.operation";
/// The source's request name of a process access (`PTRACE_POKETEXT`).
pub const TRIPLINE_PROCESS_ACCESS_REQUEST: &str = "tripline.process_access.request";
/// The accessed process's pid.
pub const TRIPLINE_TARGET_PROCESS_PID: &str = "tripline.target_process.pid";
/// The accessed process's executable.
pub const TRIPLINE_TARGET_PROCESS_EXECUTABLE: &str = "tripline.target_process.executable";
/// The accessed process's name.
pub const TRIPLINE_TARGET_PROCESS_NAME: &str = "tripline.target_process.name";
pub const TRIPLINE_USER_COMMAND_TERMINAL: &str = "tripline.user_command.terminal";
pub const TRIPLINE_AUTH_TERMINAL: &str = "tripline.auth.terminal";
pub const TRIPLINE_AUTH_SESSION_ID: &str = "tripline.auth.session_id";
pub const TRIPLINE_AUTH_METHOD: &str = "tripline.auth.method";
pub const TRIPLINE_DOCKER_ACTOR_ID: &str = "tripline.docker.actor_id";
pub const TRIPLINE_DOCKER_SIGNAL: &str = "tripline.docker.signal";
pub const TRIPLINE_DOCKER_TRUSTED: &str = "tripline.docker.trusted";
pub const TRIPLINE_FINDING_COUNT: &str = "tripline.finding.count";
pub const TRIPLINE_FINDING_GROUP: &str = "tripline.finding.group";
pub const TRIPLINE_OTHER_NAME: &str = "tripline.other.name";
pub const TRIPLINE_UNMAPPED: &str = "tripline.unmapped";
