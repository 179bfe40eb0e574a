using CoPriv.Models.Execution;
using CoPriv.Models.Inputs;
using CoPriv.Models.Lowering;
using CoPriv.Models.Zoo;

namespace CoPriv.Models.Tests;

public class ClientFlowTests
{
    [Fact]
    public void CifarRecord_ThroughNormalisationAndTheLoweredProgram_PredictsLikeTheFloatModel()
    {
        string path = Path.GetTempFileName();
        try
        {
            var rng = new SeededRandom(77);
            var row = new byte[CifarBatchFile.RowBytes(CifarDataset.Cifar100)];
            for (int i = 2; i < row.Length; i++) row[i] = (byte)(rng.NextUInt64() % 256);
            row[0] = 4;
            row[1] = 42;
            File.WriteAllBytes(path, row);
            var record = CifarBatchFile.Read(path, CifarDataset.Cifar100, 0);
            var image = ImageNormalization.Cifar100.Apply(record.Image.RequireSize(32, 32));

            // Server: the model and its lowered program. Client: the structure only, and its encoded image.
            var model = ModelZoo.Create("resnet32", new ZooOptions(WidthMultiplier: 0.25));
            var serverProgram = FixedPointLowering.Lower(model);
            var clientProgram = serverProgram.WithoutParameters();
            var encoded = clientProgram.EncodeInput(image);

            var run = FixedPointReferenceExecutor.Run(serverProgram, encoded);
            Assert.Equal(FloatExecutor.Run(model, image).ArgMax(), run.Prediction);
            Assert.Equal(42, record.Label);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
