import { CfnParameter, Stack, aws_codecommit as codecommit, type aws_codepipeline as codepipeline, aws_codepipeline_actions as actions } from 'aws-cdk-lib';
import type { Construct } from 'constructs';

/** Where the pipeline gets the source. */
export type PipelineSource =
  /**
   * GitHub (or Bitbucket, GitLab) through a CodeConnections connection. The connection ARN and the
   * repository are stack parameters (`SourceConnectionArn`, `SourceOwner`, `SourceRepository`) unless given here.
   */
  | { readonly kind: 'connection'; readonly connectionArn?: string; readonly owner?: string; readonly repository?: string }
  /** An existing CodeCommit repository. */
  | { readonly kind: 'codecommit'; readonly repositoryName: string };

/** The source action and whether V2 Git triggers apply to it. */
export interface SourceAction {
  readonly action: codepipeline.IAction;
  /** Set for connection sources: V2 triggers filter its pushes. */
  readonly connection: actions.CodeStarConnectionsSourceAction | undefined;
}

/** Builds the pipeline's source action; `branch` is the branch of runs started by hand. */
export function sourceAction(scope: Construct, source: PipelineSource, branch: string, output: codepipeline.Artifact): SourceAction {
  if (source.kind === 'codecommit') {
    const repository = codecommit.Repository.fromRepositoryName(scope, 'SourceRepository', source.repositoryName);
    return { action: new actions.CodeCommitSourceAction({ actionName: 'Source', repository, branch, output, codeBuildCloneOutput: true }), connection: undefined };
  }
  const stack = Stack.of(scope);
  const param = (id: string, description: string) => new CfnParameter(stack, id, { type: 'String', description, minLength: 1 }).valueAsString;
  const connection = new actions.CodeStarConnectionsSourceAction({
    actionName: 'Source',
    connectionArn: source.connectionArn ?? param('SourceConnectionArn', 'ARN of the CodeConnections (CodeStar) connection to the Git host'),
    owner: source.owner ?? param('SourceOwner', 'owner (user or organisation) of the repository'),
    repo: source.repository ?? param('SourceRepository', 'name of the repository'),
    branch,
    output,
    // Triggers (branch and tag filters) start the pipeline, not the action's own change detection.
    triggerOnPush: false,
    codeBuildCloneOutput: true,
  });
  return { action: connection, connection };
}
