// The OAI's own Arazzo examples, loaded against their OpenAPI files: what loads, what warns, what cannot.
import { describe, expect, it } from 'vitest';
import { loadSpec } from './load-spec.ts';
import { loadWorkflows } from './workflows.ts';

const OAI = 'conformance/test/fixtures/arazzo/oai-examples';

describe('the Arazzo specification examples (fixtures/arazzo/oai-examples/SOURCE.md)', () => {
  it.each<[string, string, Record<string, string | undefined>, RegExp[]]>([
    [
      'pet-coupons.arazzo.yaml',
      'pet-coupons.openapi.yaml',
      { 'apply-coupon': undefined, 'buy-available-pet': undefined, 'place-order': undefined },
      [/step find-coupons: path parameter pet_id is not in \/pet\/\{petId\}\/coupons; it is not sent/],
    ],
    ['oauth.arazzo.yaml', 'oauth.openapi.yaml', { 'refresh-token-flow': undefined, 'client-credentials-flow': undefined, 'authorization-code-flow': undefined }, []],
    [
      'bnpl-arazzo.yaml',
      'bnpl-openapi.yaml',
      { ApplyForLoanAtCheckout: undefined },
      [/source description BnplApi \(https:.*\) is not the spec under test; its operations are looked up in .*bnpl-openapi\.yaml/, /input customer is required and has no default/, /input products is required and has no default/],
    ],
    // operationIds are case-sensitive: the example asks for PAR, its spec says Par
    ['FAPI-PAR.arazzo.yaml', 'FAPI-PAR.openapi.yaml', { 'OIDC-PAR-AuthzCode': 'operationId PAR is not in the spec' }, [/input PARrequestBody is required/, /input TokenRequestBody is required/]],
  ])('%s against %s', async (arazzo, openapi, expected, warnings) => {
    const spec = await loadSpec(`${OAI}/${openapi}`);
    const plans = loadWorkflows([`${OAI}/${arazzo}`], spec);
    expect(Object.fromEntries(plans.map((p) => [p.workflowId, p.loadError?.replace(/.*: (operationId \S+ is not in the spec).*/, '$1')]))).toEqual(expected);
    const all = [...new Set(plans.flatMap((p) => p.warnings))];
    expect(all).toHaveLength(warnings.length);
    warnings.forEach((w, i) => expect(all[i]).toMatch(w));
  });

  it('pet-coupons: a workflowId step maps its parameters to the callee, components.parameters by reference, inputs by $ref', async () => {
    const spec = await loadSpec(`${OAI}/pet-coupons.openapi.yaml`);
    const [apply, buy, place] = loadWorkflows([`${OAI}/pet-coupons.arazzo.yaml`], spec);
    const step = apply!.steps[2]!;
    expect(step.target.kind === 'workflow' && step.target.workflow).toBe(place);
    expect(step.parameters.map((p) => [p.name, p.in])).toEqual([['pet_id', undefined], ['coupon_code', undefined]]);
    expect(buy!.steps[0]!.parameters).toEqual([
      { name: 'status', in: 'query', value: 'available' },
      { name: 'page', in: 'query', value: 1 },
      { name: 'pageSize', in: 'query', value: 10 },
    ]);
    expect(Object.keys(apply!.inputs)).toEqual([]); // its inputs ($ref to components/inputs) have no defaults
  });

  it('bnpl: onSuccess actions keep their criteria, goto targets and end', async () => {
    const spec = await loadSpec(`${OAI}/bnpl-openapi.yaml`);
    const [wf] = loadWorkflows([`${OAI}/bnpl-arazzo.yaml`], spec);
    expect(wf!.steps[0]!.onSuccess.map((a) => [a.name, a.type, a.stepId, a.criteria.map((c) => c.type)])).toEqual([
      ['existingCustomerNotEligible', 'end', undefined, ['simple', 'simple']],
      ['qualifyingProductsFound', 'goto', 'getCustomerTermsAndConditions', ['simple', 'jsonpath']],
      ['qualifyingProductsNotFound', 'end', undefined, ['simple', 'jsonpath']],
    ]);
  });
});
