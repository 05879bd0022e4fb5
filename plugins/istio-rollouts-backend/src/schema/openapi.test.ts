import fs from 'fs';
import path from 'path';
import { parse } from 'yaml';
import { spec } from './openapi';

describe('the OpenAPI document', () => {
  it('is embedded in the generated router exactly as openapi.yaml says', () => {
    const document = parse(
      fs.readFileSync(path.resolve(__dirname, 'openapi.yaml'), 'utf8'),
    );
    expect(spec).toEqual(document);
  });
});
