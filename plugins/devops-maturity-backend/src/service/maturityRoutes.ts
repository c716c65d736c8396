import { Request } from 'express';
import Router from 'express-promise-router';
import {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  devopsMaturityAssessmentAdminPermission,
  devopsMaturityAssessmentSubmitPermission,
  GoldenPathFailing,
} from '@devops-maturity/backstage-plugin-common';
import { z } from 'zod';
import { DoraService } from './DoraService';
import { MaturityService } from './MaturityService';
import { ScorecardService } from './ScorecardService';
import {
  entityWindowQuery,
  goldenPathFailingQuery,
  goldenPathQuery,
  maturityHistoryQuery,
  noQuery,
  parseQuery,
} from './queries';
import { requireJsonBody } from './validation';
import { ReadAccess } from './ReadAccess';
import { csvCell } from './ranking';
import { normalizeWithKind } from './scorecardRoutes';

const assessmentBody = z.object({
  answers: z.record(z.unknown()),
});

/** The maturity model's routes: level, CALMS, self-assessment, golden-path health. */
export function registerMaturityRoutes(
  router: ReturnType<typeof Router>,
  deps: {
    httpAuth: HttpAuthService;
    permissions: PermissionsService;
    dora: DoraService;
    maturity: MaturityService;
    scorecards: ScorecardService;
    access: ReadAccess;
    /** The request's entity if the reader may see it; 404 otherwise. */
    visibleEntityRef: (req: Request) => Promise<string>;
  },
) {
  const {
    httpAuth,
    permissions,
    dora,
    maturity,
    scorecards,
    access,
    visibleEntityRef,
  } = deps;

  /** The entity's maturity for the request's window and profile. */
  async function maturityOf(req: Request) {
    const entityRef = await visibleEntityRef(req);
    const q = parseQuery(entityWindowQuery, req.query);
    return maturity.entityMaturity(
      entityRef,
      dora.window(q),
      dora.profile(q.profile),
    );
  }

  router.get('/entities/:kind/:namespace/:name/maturity', async (req, res) => {
    res.json(await maturityOf(req));
  });

  router.get(
    '/entities/:kind/:namespace/:name/maturity/history',
    async (req, res) => {
      const entityRef = await visibleEntityRef(req);
      const { days } = parseQuery(maturityHistoryQuery, req.query);
      res.json(await maturity.entityHistory(entityRef, days));
    },
  );

  router.get('/entities/:kind/:namespace/:name/calms', async (req, res) => {
    const m = await maturityOf(req);
    res.json({
      entityRef: m.entityRef,
      computedAt: m.computedAt,
      window: m.window,
      profile: m.profile,
      ...m.calms,
    });
  });

  router.get(
    '/entities/:kind/:namespace/:name/calms/assessment',
    async (req, res) => {
      const entityRef = await visibleEntityRef(req);
      parseQuery(noQuery, req.query);
      res.json(await maturity.assessment(entityRef));
    },
  );

  // Users only: an assessment is a team's own statement, with its author kept.
  router.put(
    '/entities/:kind/:namespace/:name/calms/assessment',
    async (req, res) => {
      const credentials = await httpAuth.credentials(req, { allow: ['user'] });
      // An entity hidden from the user is not there for them, owner rule or not.
      const entityRef = await visibleEntityRef(req);
      const [admin] = await permissions.authorize(
        [{ permission: devopsMaturityAssessmentAdminPermission }],
        { credentials },
      );
      if (admin.result !== AuthorizeResult.ALLOW) {
        const [owner] = await permissions.authorize(
          [
            {
              permission: devopsMaturityAssessmentSubmitPermission,
              resourceRef: entityRef,
            },
          ],
          { credentials },
        );
        if (owner.result !== AuthorizeResult.ALLOW) {
          throw new NotAllowedError(
            `Only members of the team that owns ${entityRef} may submit its assessment`,
          );
        }
      }
      parseQuery(noQuery, req.query);
      requireJsonBody(req);
      const body = assessmentBody.safeParse(req.body);
      if (!body.success)
        throw new InputError(
          'answers: must be an object of question id to 1..5',
        );
      const saved = await maturity.submitAssessment(
        entityRef,
        // The answers as sent, not zod's copy, which drops a `__proto__` key: a key of no
        // question is refused, never silently lost.
        req.body.answers as Record<string, number>,
        credentials.principal.userEntityRef,
      );
      // The ranking rows carry CALMS and the level: recompute this entity's before the next read.
      await scorecards.markDirty([entityRef]);
      res.json(saved);
    },
  );

  /** The golden-path matrix's rows as the reader may see them: one source for cell and list. */
  async function goldenPathRows<
    Q extends { days?: number; from?: string; to?: string; profile?: string },
  >(req: Request, parse: () => Q) {
    // The reader first: a caller who may not read learns nothing of the query's checks.
    const visibility = await (await access.reader(req)).visibility();
    const q = parse();
    const days = ScorecardService.presetDays(q);
    if (!days)
      throw new InputError(
        'days: golden-path health is kept for 30, 90, 180 or 365 days ending now',
      );
    const profile = dora.profile(q.profile).id;
    const { rows, updating } = await scorecards.maturityRows(days, profile);
    return {
      q,
      rows: rows.filter(
        r => visibility.all || visibility.refs.has(r.entityRef),
      ),
      days,
      profile,
      seesAll: visibility.all,
      lag: updating ? { updating } : {},
    };
  }

  router.get('/golden-path', async (req, res) => {
    const { rows, days, profile, lag } = await goldenPathRows(req, () =>
      parseQuery(goldenPathQuery, req.query),
    );
    res.json({
      ...(await maturity.goldenPathHealth(rows, { days }, profile)),
      ...lag,
    });
  });

  router.get('/golden-path/failing', async (req, res) => {
    const { q, rows, days, profile, seesAll, lag } = await goldenPathRows(
      req,
      () => {
        const query = parseQuery(goldenPathFailingQuery, req.query);
        // Before the rows: reading them recomputes stale rankings, which a refused request
        // must not do.
        maturity.requireCheck(query.check);
        return query;
      },
    );
    const failing = await maturity.goldenPathFailing(rows, {
      checkId: q.check,
      ownerRef: q.owner ? normalizeWithKind(q.owner, 'group') : undefined,
      window: { days },
      profile,
      seesAll,
    });
    if (
      q.format === 'csv' ||
      (q.format === undefined &&
        req.accepts(['application/json', 'text/csv']) === 'text/csv')
    ) {
      res.type('text/csv').send(failingCsv(failing));
      return;
    }
    res.json({ ...failing, ...lag });
  });
}

/** The failing services as CSV: one line each, with the check's fix beside its evidence. */
function failingCsv(failing: GoldenPathFailing): string {
  const columns = [
    'entityRef',
    'title',
    'ownerRef',
    'ownerTitle',
    'level',
    'check',
    'evidence',
    'statusNow',
    'howToFix',
    'docsUrl',
  ];
  const { check } = failing;
  const lines = failing.items.map(i =>
    [
      i.entityRef,
      i.title,
      i.ownerRef,
      i.ownerTitle,
      i.level,
      check.id,
      i.evidence,
      i.statusNow,
      check.howToFix,
      check.docsUrl,
    ]
      .map(csvCell)
      .join(','),
  );
  return `${[columns.join(','), ...lines].join('\n')}\n`;
}
