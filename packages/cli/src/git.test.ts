import { changeSet, Git } from './git';
import { TestRepo } from './__testUtils__/gitRepo';

describe('changeSet, on real git repositories', () => {
  const repos: TestRepo[] = [];
  const track = (repo: TestRepo) => {
    repos.push(repo);
    return repo;
  };
  afterAll(() => repos.forEach(r => r.remove()));

  /** main: c1 - c2 - c3 (deployed) - c4 - c5, and a feature branch off c4 never merged. */
  function history() {
    const repo = track(new TestRepo());
    const c = [
      repo.commit('c1', '2026-06-01T09:00:00+02:00'),
      repo.commit('c2', '2026-06-01T10:00:00Z'),
      repo.commit('c3', '2026-06-02T10:00:00Z'),
      repo.commit('c4', '2026-06-03T10:00:00Z'),
    ];
    repo.git('checkout', '--quiet', '-b', 'feature');
    const feature = repo.commit('f1', '2026-06-03T11:00:00Z');
    repo.git('checkout', '--quiet', 'main');
    c.push(repo.commit('c5', '2026-06-04T10:00:00Z'));
    return { repo, c, feature };
  }

  it('lists what the head has and the base lacks, newest first, with committer times', async () => {
    const { repo, c } = history();
    const set = await changeSet(new Git(repo.dir), {
      head: 'HEAD',
      base: c[2],
    });
    expect(set).toEqual({
      head: c[4],
      commits: [
        { sha: c[4], committedAt: '2026-06-04T10:00:00+00:00' },
        { sha: c[3], committedAt: '2026-06-03T10:00:00+00:00' },
      ],
      complete: true,
      notes: [],
    });
  });

  it('keeps the committer offset, and gives nothing for a redeploy or a rollback', async () => {
    const { repo, c } = history();
    const git = new Git(repo.dir);
    const first = await changeSet(git, { head: c[0], base: undefined });
    expect(first.commits).toEqual([
      { sha: c[0], committedAt: '2026-06-01T09:00:00+02:00' },
    ]);
    expect(first.complete).toBe(false);
    expect(await changeSet(git, { head: c[2], base: c[2] })).toMatchObject({
      commits: [],
      complete: true,
    });
    // A rollback to c2 after c4 was deployed: c2 brings nothing c4 lacked.
    expect(await changeSet(git, { head: c[1], base: c[3] })).toMatchObject({
      commits: [],
      complete: true,
    });
  });

  it('never takes commits of a branch the head does not contain', async () => {
    const { repo, c, feature } = history();
    const set = await changeSet(new Git(repo.dir), {
      head: 'main',
      base: c[1],
    });
    expect(set.commits.map(x => x.sha)).toEqual([c[4], c[3], c[2]]);
    expect(set.commits.map(x => x.sha)).not.toContain(feature);
    const ofFeature = await changeSet(new Git(repo.dir), {
      head: 'feature',
      base: c[2],
    });
    expect(ofFeature.commits.map(x => x.sha)).toEqual([feature, c[3]]);
  });

  it('deepens a shallow clone until the base is reached, then is complete', async () => {
    const { repo, c } = history();
    const clone = track(repo.shallowClone(1));
    const git = new Git(clone.dir);
    expect(await git.hasCommit(c[1])).toBe(false);
    const set = await changeSet(git, { head: 'HEAD', base: c[1] });
    expect(set.commits.map(x => x.sha)).toEqual([c[4], c[3], c[2]]);
    expect(set.complete).toBe(true);
    expect(set.notes).toEqual([
      'deepened the shallow clone (git fetch --deepen=100)',
    ]);
  });

  it('sends the commits a shallow clone has, marked partial, when it cannot be deepened', async () => {
    const { repo, c } = history();
    const clone = track(repo.shallowClone(2));
    clone.git('remote', 'set-url', 'origin', `file://${clone.dir}-gone`);
    const set = await changeSet(new Git(clone.dir), {
      head: 'HEAD',
      base: c[2],
    });
    // Base c3 is not in the two-commit clone: the deployed commit alone.
    expect(set.commits.map(x => x.sha)).toEqual([c[4]]);
    expect(set.complete).toBe(false);
    expect(set.notes.join('\n')).toMatch(/could not deepen the shallow clone/);
    expect(set.notes.join('\n')).toMatch(/is not in this clone/);
  });

  it('says so when a shallow clone has no remote to deepen it from', async () => {
    const { repo, c } = history();
    const clone = track(repo.shallowClone(2));
    clone.git('remote', 'remove', 'origin');
    const set = await changeSet(new Git(clone.dir), {
      head: 'HEAD',
      base: c[2],
    });
    expect(set.commits.map(x => x.sha)).toEqual([c[4]]);
    expect(set.complete).toBe(false);
    expect(set.notes).toEqual([
      'the shallow clone has no remote to deepen it from',
      `the previous production deployment's commit ${c[2]} is not in this clone: sending the deployed commit alone`,
    ]);
  });

  it('tells a walk cut by the shallow boundary from a complete one', async () => {
    const { repo, c } = history();
    // The clone has c4 and c5; c1..c3 exist upstream only. The base (c2) is then fetched
    // alone, so the walk from c5 reaches c4, whose parents the clone lacks.
    const clone = track(repo.shallowClone(2));
    clone.git('fetch', '--quiet', '--depth=1', 'origin', c[1]);
    clone.git('remote', 'set-url', 'origin', `file://${clone.dir}-gone`);
    const git = new Git(clone.dir);
    expect(await git.hasCommit(c[1])).toBe(true);
    const set = await changeSet(git, { head: 'HEAD', base: c[1] });
    expect(set.commits.map(x => x.sha)).toEqual([c[4], c[3]]);
    expect(set.complete).toBe(false);
    expect(set.notes.join('\n')).toMatch(/could not be deepened/);
  });

  it('names the revision and the directory when the head cannot be read', async () => {
    const { repo } = history();
    await expect(
      changeSet(new Git(repo.dir), { head: 'no-such-branch', base: undefined }),
    ).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringContaining("cannot read revision 'no-such-branch'"),
    });
  });
});
