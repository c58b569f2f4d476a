import { z } from 'zod';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Path parameters naming a secret: an environment variable name, since tasks get it under that name. */
export const secretParamsSchema = z.strictObject({
  name: z
    .string()
    .max(255, { error: 'a secret name has at most 255 characters' })
    .regex(ENV_NAME, { error: (i) => `${JSON.stringify(i.input)} is not a valid environment variable name (letters, digits and _, not starting with a digit): a service gets a secret under its own name` }),
});

/** Body of `PUT /api/v1/secrets/:name`: the new value (write-only: no route ever returns it). */
export const setSecretBodySchema = z.strictObject({
  value: z
    .string({ error: 'expected the value as a string' })
    .refine((v) => !v.includes('\u0000'), { error: 'a secret value cannot contain a NUL character (it could not be an environment variable)' }),
});

/** A secret as listings show it: its name, current version and who uses it, never its value. */
export interface SecretDto {
  readonly name: string;
  /** The current version: 1 for the first value, one more for each set. */
  readonly version: number;
  /** When the current version was set (ISO 8601). */
  readonly updatedAt: string;
  /** The services of the app that declare it (`services.<name>.secrets`). */
  readonly usedBy: readonly string[];
}

/** `GET /api/v1/secrets`. */
export interface SecretListDto {
  readonly secrets: readonly SecretDto[];
}

/** A deployment a new version started, or why it could not start. */
export interface SecretRotationDto {
  readonly environment: string;
  readonly service: string;
  /** The deployment that rolls the service's tasks, or null when it was refused (`error`). */
  readonly deploymentId: number | null;
  readonly error: string | null;
}

/** `PUT /api/v1/secrets/:name`: the new version and the deployments it started. */
export interface SecretSetDto extends SecretDto {
  readonly rotations: readonly SecretRotationDto[];
}
