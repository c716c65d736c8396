export interface Config {
  devopsMaturity?: {
    permissions?: {
      /**
       * Who may submit any entity's CALMS self-assessment and see the unmatched events:
       * entity refs of groups (their members) or users, e.g. `group:default/platform-team`.
       * A ref without a kind is a group; without a namespace, `default`. Without any, nobody
       * may, and only an entity's owners submit its assessment.
       */
      admins?: string[];
      /**
       * Who else may see the unmatched events (they carry the full payloads of events that
       * matched no entity): entity refs of groups or users, as `admins`.
       */
      unmatchedReaders?: string[];
    };
  };
}
