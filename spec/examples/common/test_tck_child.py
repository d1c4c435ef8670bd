"""Unit tests of the adapters' shared glue; they need neither torch nor any library:
    python3 -m unittest discover -s spec/examples/common -p 'test_*.py'
"""
import io
import json
import unittest

import tck_child


class TimestepsTest(unittest.TestCase):
    def test_index_is_t_minus_one_and_back(self):
        # CONVENTIONS.md sec. 1: index i = t - 1; x_0 (t = 0) is the index -1
        self.assertEqual([tck_child.index_of(t) for t in (0, 1, 1000)], [-1, 0, 999])
        self.assertEqual([tck_child.t_of(i) for i in (-1, 0, 999)], [0, 1, 1000])

    def test_every_index_below_zero_is_the_data(self):
        self.assertEqual(tck_child.t_of(-7), 0)


class ShapeTest(unittest.TestCase):
    def test_trailing_axes_become_one_channel(self):
        self.assertEqual(tck_child.flat_shape([3, 2, 4, 4]), [3, 1, 32])
        self.assertEqual(tck_child.flat_shape([5]), [5, 1, 1])

    def test_no_batch_axis_is_refused(self):
        with self.assertRaises(tck_child.Refusal):
            tck_child.flat_shape([])


class DtypeTest(unittest.TestCase):
    def test_default_is_float32(self):
        self.assertEqual(tck_child.dtype_name({}), "float32")
        self.assertEqual(tck_child.dtype_name({"DIFFUSION_TCK_DTYPE": "float64"}), "float64")

    def test_another_dtype_stops_with_its_name(self):
        with self.assertRaises(SystemExit) as e:
            tck_child.dtype_name({"DIFFUSION_TCK_DTYPE": "float16"})
        self.assertIn("float16", str(e.exception))


class StubTest(unittest.TestCase):
    def test_stubbed_imports_are_inert(self):
        tck_child.stub_modules(["no_such_hub_client"])
        from no_such_hub_client.utils import validate_args, HubHTTPError, HOME  # noqa
        f = lambda: 42  # noqa: E731
        self.assertIs(validate_args(f), f)
        self.assertTrue(issubclass(HubHTTPError, Exception))
        self.assertEqual(HOME, "")


class ServeTest(unittest.TestCase):
    def run_lines(self, *requests, operations=None):
        out = io.StringIO()
        lines = "".join(json.dumps(r) + "\n" for r in requests)
        tck_child.serve({"name": "x"}, operations or {}, io.StringIO(lines), out)
        return [json.loads(line) for line in out.getvalue().splitlines()]

    def test_hello_answers_the_declaration(self):
        self.assertEqual(self.run_lines({"id": 0, "op": "hello", "protocol": 2}),
                         [{"id": 0, "result": {"name": "x"}}])

    def test_failures_are_error_answers_with_the_request_id(self):
        def broken(r):
            raise ZeroDivisionError("division by zero")
        answers = self.run_lines({"id": 3, "op": "nope"}, {"id": 4, "op": "kl"},
                                 operations={"kl": broken})
        self.assertEqual([a["id"] for a in answers], [3, 4])
        self.assertIn("unknown operation nope", answers[0]["error"])
        self.assertEqual(answers[1]["error"], "ZeroDivisionError: division by zero")

    def test_tensors_round_trip_through_their_shape(self):
        class FakeTorch:  # the only call to_torch makes: torch.tensor(data, dtype).reshape
            @staticmethod
            def tensor(data, dtype):
                return FakeTensor(list(data))
        x = tck_child.to_torch(FakeTorch, {"shape": [2, 3], "data": [1, 2, 3, 4, 5, 6]}, None)
        self.assertEqual(x.shape, [2, 1, 3])
        self.assertEqual(tck_child.from_torch(x, [2, 3]),
                         {"shape": [2, 3], "data": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]})

    def test_a_wrong_count_is_refused(self):
        with self.assertRaises(tck_child.Refusal):
            tck_child.from_torch(FakeTensor([1.0]), [2])


class InjectedNoiseTest(unittest.TestCase):
    def test_the_library_draws_the_given_noise_and_gets_its_function_back(self):
        import types
        library = types.SimpleNamespace(randn_like=lambda x: "drawn")
        z = FakeTensor([0.5, -1.0])
        with tck_child.InjectedNoise(library, "randn_like", z):
            self.assertIs(library.randn_like(FakeTensor([1.0, 2.0])), z)
            with self.assertRaises(tck_child.Refusal):
                library.randn_like(FakeTensor([1.0]))
        self.assertEqual(library.randn_like(None), "drawn")

    def test_a_shape_argument_works_too(self):
        import types
        library = types.SimpleNamespace(randn_tensor=None)
        z = FakeTensor([0.5, -1.0])
        with tck_child.InjectedNoise(library, "randn_tensor", z):
            self.assertIs(library.randn_tensor((2,), generator=None), z)


class FakeTensor:
    def __init__(self, values, shape=None):
        self.values, self.shape = values, shape or [len(values)]

    def numel(self):
        return len(self.values)

    def reshape(self, shape):
        return FakeTensor(self.values, list(shape) if shape != -1 else [len(self.values)])

    def detach(self):
        return self

    def double(self):
        return self

    def tolist(self):
        return list(self.values)


if __name__ == "__main__":
    unittest.main()
