export interface Config {
  devopsMaturity?: {
    github?: {
      /**
       * Issue labels that make an issue an incident of the repository's entity.
       * Default: `incident`.
       */
      incidentLabels?: string[];
    };
  };
}
