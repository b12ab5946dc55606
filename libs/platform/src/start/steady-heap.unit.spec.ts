import { applySteadyHeap, STEADY_HEAP_FLAGS } from './steady-heap';

describe('applySteadyHeap', () => {
  it('applies every steady-heap flag when node was given none of them', () => {
    expect(applySteadyHeap(['--enable-source-maps'])).toEqual(STEADY_HEAP_FLAGS);
  });

  it('leaves a flag the operator gave node alone, however it is spelled, and applies the others', () => {
    expect(applySteadyHeap(['--heap-growing-percent=80'])).toEqual(['--semi-space-growth-factor=1']);
    expect(applySteadyHeap(['--semi_space_growth_factor=2'])).toEqual(['--heap-growing-percent=50']);
    expect(applySteadyHeap(['--semi-space-growth-factor=3', '--heap-growing-percent=20'])).toEqual([]);
  });
});
