import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/support/temp-dir.js';
import { readImageDefinitions } from './image-definitions.js';

describe('readImageDefinitions', () => {
  let dir: { path: string; cleanup: () => void };
  beforeEach(() => (dir = tempDir()));
  afterEach(() => dir.cleanup());
  const write = (text: string) => fs.writeFileSync(`${dir.path}/imagedefinitions.json`, text);

  it('reads ECS’s imagedefinitions.json as the image of each named service', () => {
    write('[{"name":"web","imageUri":"127.0.0.1:5000/shop/web:abc1234"},{"name":"api","imageUri":"127.0.0.1:5000/shop/api@sha256:' + 'a'.repeat(64) + '"}]');
    expect(readImageDefinitions(dir.path)).toEqual({ web: '127.0.0.1:5000/shop/web:abc1234', api: `127.0.0.1:5000/shop/api@sha256:${'a'.repeat(64)}` });
  });

  it('is empty without the file, and refuses one of another shape, naming the entry', () => {
    expect(readImageDefinitions(dir.path)).toEqual({});
    write('{"name":"web"}');
    expect(() => readImageDefinitions(dir.path)).toThrow('imagedefinitions.json: expected a list of { "name", "imageUri" }');
    write('[{"name":"web","imageUri":"x:1"},{"name":"web","image":"y"}]');
    expect(() => readImageDefinitions(dir.path)).toThrow('imagedefinitions.json[1]: expected { "name": "<service>", "imageUri": "<repository>:<tag>" }');
    write('[{"name":"web","imageUri":"x:1"},{"name":"web","imageUri":"y:1"}]');
    expect(() => readImageDefinitions(dir.path)).toThrow(expect.objectContaining({ code: 'SLW_ERR_DEPLOY_IMAGE_INVALID', message: 'imagedefinitions.json[1].name: "web" is named twice' }));
    write('not json');
    expect(() => readImageDefinitions(dir.path)).toThrow(/imagedefinitions\.json: not valid JSON/);
  });
});
